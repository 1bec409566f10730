// Classifying findings with a compiled rule set.
//
//   auto compiled = xuncha::CompileRules({"rules/default"});
//   xuncha::Matcher matcher(compiled->engine);   // one per thread
//   xuncha::v1::Classification c;
//   xuncha::Status s = matcher.Classify(finding, &c);
//
// How a classification is made (one pass over the text):
//   1. every literal term of every rule (keywords, lexicon terms, the
//      literal atoms of regexes) is found in one Aho-Corasick scan;
//   2. only rules whose required terms occurred are candidates, and only
//      regexes whose atoms occurred are ever run;
//   3. candidate conditions are evaluated stage by stage; a later stage sees
//      what earlier stages concluded (`result.*`);
//   4. the primary category is the fired rule with the highest priority,
//      then score, then the earliest in rule order; other categories are kept
//      as secondary; a finding no rule classifies is marked unclassified;
//   5. evidence spans are computed for fired rules only.
// The output names the rule set, its version and its content hash.

#ifndef XUNCHA_ENGINE_H_
#define XUNCHA_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/compiler.h"
#include "xuncha/export.h"
#include "xuncha/status.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/finding.pb.h"
#include "xuncha/v1/rules.pb.h"

namespace xuncha {

namespace match_internal {
struct Plan;
class Scratch;
struct EngineFactory;
}  // namespace match_internal

// A compiled rule set. Immutable; share it across threads as
// std::shared_ptr<const Engine>. Created only by Compiler.
class XUNCHA_EXPORT Engine {
 public:
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const std::string& name() const;
  const std::string& version() const;
  // "sha256:<hex>" over the canonical form of the rules and the options that
  // change their meaning.
  const std::string& hash() const;
  size_t rule_count() const;
  // The rule set as written (titles, examples, pattern definitions), for
  // tools such as `xuncha test` and `xuncha coverage`.
  const v1::RuleSet& rule_set() const;
  // Statistics of the compiled form, for `xuncha check --stats`.
  std::string DescribeStats() const;

  const match_internal::Plan& plan() const { return *plan_; }

 private:
  friend struct match_internal::EngineFactory;
  explicit Engine(std::unique_ptr<match_internal::Plan> plan);
  std::unique_ptr<match_internal::Plan> plan_;
};

struct ClassifyOptions {
  // Texts longer than this are a per-record error (not truncated silently).
  uint32_t max_text_bytes = 256 << 10;
  // Compute evidence spans for fired rules.
  bool evidence = true;
  // Record time and hit counts per rule (Matcher::profile()).
  bool profile = false;
};

// Time and hits of one rule over a run (`classify --profile`).
struct RuleProfile {
  std::string rule_id;
  uint64_t evaluations = 0;  // times its condition was evaluated
  uint64_t hits = 0;         // times it fired
  uint64_t errors = 0;       // times its condition errored
  uint64_t nanos = 0;        // time spent evaluating it
};

// Per-thread scratch for classifying. Thread-compatible: use one Matcher per
// thread (debug builds abort when one is used from two threads at once).
// Cheap to create; reuse it.
class XUNCHA_EXPORT Matcher {
 public:
  explicit Matcher(std::shared_ptr<const Engine> engine, ClassifyOptions options = {});
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Classifies one finding into *out (cleared first). Conditions that error
  // do not fire and are listed in out->errors(). Returns non-OK when the
  // finding cannot be classified at all (text over max_text_bytes, invalid
  // UTF-8, a regex that ran out of memory): then *out holds only the
  // finding id and the error.
  Status Classify(const v1::Finding& finding, v1::Classification* out);

  // A readable trace of how `finding` is classified: which terms hit where,
  // each candidate rule's condition evaluated step by step, and why the
  // winner won. With `rule_id`, also why that rule did (not) fire: the first
  // condition that failed with the values it saw, and the nearest text that
  // almost matched its terms. NotFound when rule_id names no rule.
  StatusOr<std::string> Explain(const v1::Finding& finding, std::string_view rule_id = {});

  // Per-rule counters since construction or ResetProfile(); empty unless
  // options.profile.
  std::vector<RuleProfile> profile() const;
  void ResetProfile();

  const std::shared_ptr<const Engine>& engine() const { return engine_; }

 private:
  std::shared_ptr<const Engine> engine_;
  ClassifyOptions options_;
  std::unique_ptr<match_internal::Scratch> scratch_;
};

// One-call convenience; builds a temporary Matcher.
XUNCHA_EXPORT StatusOr<v1::Classification> Classify(const std::shared_ptr<const Engine>& engine,
                                                    const v1::Finding& finding);

// Batch classification of a stream on N threads, output in input order.
struct BatchOptions {
  int threads = 1;               // 0 = hardware concurrency
  size_t chunk_size = 256;       // findings per work item
  ClassifyOptions classify;
};

struct BatchStats {
  uint64_t findings = 0;
  uint64_t classified = 0;
  uint64_t unclassified = 0;
  uint64_t failed = 0;           // Classify returned non-OK (kept, with error)
  uint64_t rule_errors = 0;      // condition errors (rule did not fire)
  std::vector<RuleProfile> profile;  // merged over threads, slowest first
};

// Pulls findings from `next` until it returns false (or an error status),
// classifies them on `options.threads` threads and hands every result to
// `emit` in input order, on the calling thread. Every finding yields exactly
// one emit call: a finding that fails carries its error in
// classification.errors and classified=false. `emit` may return an error to
// stop the batch.
using FindingSource = std::function<StatusOr<bool>(v1::Finding* next)>;
using ClassificationSink =
    std::function<Status(v1::Finding&& finding, v1::Classification&& classification)>;
XUNCHA_EXPORT Status ClassifyBatch(std::shared_ptr<const Engine> engine, const FindingSource& next,
                                   const ClassificationSink& emit, const BatchOptions& options,
                                   BatchStats* stats);

// Hot reload for tools that stay up: holds the current engine; Reload()
// compiles new rules and swaps them in atomically, keeping the old engine
// when the new rules fail to compile. Thread-safe. Classifications already
// running keep the engine they started with.
class XUNCHA_EXPORT EngineHandle {
 public:
  explicit EngineHandle(std::shared_ptr<const Engine> initial);
  // The current engine (a counted reference: it stays valid while held).
  std::shared_ptr<const Engine> Get() const;
  // Generation number, incremented by every successful swap.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Compiles `paths`; on success swaps and returns the diagnostics (warnings)
  // in *diagnostics; on errors keeps the old engine, returns
  // FailedPrecondition and the diagnostics.
  Status Reload(const std::vector<std::string>& paths, const CompileOptions& options,
                std::vector<Diagnostic>* diagnostics);
  void Swap(std::shared_ptr<const Engine> engine);

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Engine> engine_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace xuncha

#endif  // XUNCHA_ENGINE_H_
