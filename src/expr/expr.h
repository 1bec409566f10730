// Internal: the condition language (a subset of Google's CEL) — parse,
// type-check, lower to an executable Program, evaluate. The public door is
// include/xuncha/compiler.h; this header is for src/compile and src/match.
//
// The only entry point of this folder is CompileExpression().
//
// Design note: how conditions meet the one-pass text scan.
//   Calls whose receiver is the finding's `text` (or that are text functions:
//   lexicon hits, near, negated, affirmed) with constant arguments are lifted
//   out of the program into TextPredicates, interned in a PredicateTable that
//   all rules of a set share. A predicate is evaluated at most once per
//   finding, through a TextOracle that knows where each literal term occurs
//   (the engine: one Aho-Corasick pass; the naive engine and `xuncha expr`:
//   plain string search) and whether each regex matches. The semantics of a
//   predicate live in EvaluatePredicate() alone, so the fast and the naive
//   paths cannot disagree. Each Program also exposes a Requirement: a
//   necessary condition over predicates (AND/OR tree) that the engine checks
//   against the terms that hit before it evaluates the program at all.
//
//   Text models (model_label, model_prob) are not predicates: they put no
//   requirement on the text (a rule that reads only a model is a candidate
//   for every finding), and their value is read from the Activation's
//   ModelCache, which scores each model once per finding when first asked
//   (text_model.h).

#ifndef XUNCHA_EXPR_EXPR_H_
#define XUNCHA_EXPR_EXPR_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "re2/re2.h"
#include "xuncha/diagnostic.h"
#include "xuncha/status.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/finding.pb.h"

namespace xuncha::expr {

class ModelCache;  // text_model.h
class ModelTable;

// ---------------------------------------------------------------------------
// Limits. Each is diagnosed when reached ([limit-*] codes) and tested.
struct ExprLimits {
  uint32_t max_source_bytes = 16 * 1024;   // length of one `when`
  uint32_t max_depth = 64;                 // nesting of the parse tree
  uint32_t max_nodes = 4096;               // size of the parse tree
  // RE2::Options::max_mem per regex. RE2 keeps the compiled program and the
  // DFA's state cache in it; gap patterns over Chinese text (A[^。]{0,30}B)
  // make large programs and many states, and at 8 MiB the default rule set's
  // biggest regexes flushed their caches on almost every finding (2.2× the
  // time). The cache only grows as far as the texts lead it.
  int64_t regex_max_mem = 32 << 20;
  int regex_max_program_size = 20000;      // RE2::ProgramSize() bound
  uint32_t max_list_size = 100000;         // lists built at run time
  uint32_t max_string_bytes = 1 << 20;     // strings built at run time
  uint64_t max_iterations = 1000000;       // macro steps in one evaluation
};

// ---------------------------------------------------------------------------
// Terms and predicates shared by all rules of one set.

// Interns literal strings that predicates look for. Term ids are dense,
// 0..size()-1, in order of first interning. Thread-compatible while
// compiling; immutable afterwards.
class TermTable {
 public:
  uint32_t Intern(std::string_view term);
  const std::string& term(uint32_t id) const { return terms_[id]; }
  size_t size() const { return terms_.size(); }

 private:
  std::vector<std::string> terms_;
  std::map<std::string, uint32_t, std::less<>> ids_;
};

enum class PredicateKind {
  kContains,     // text.contains(t)                   terms = {t}
  kStartsWith,   // text.startsWith(t)                 terms = {t}
  kEndsWith,     // text.endsWith(t)                   terms = {t}
  kContainsAny,  // text.containsAny(L), mentions("lex") terms = L
  kNear,         // near(A, B, n): some a∈A and b∈B within n code points
                 //   terms = A, terms_b = B, max_chars = n
  kNegated,      // negated(A): some a∈A occurs, and every occurrence of
                 //   every a∈A stands in a negation scope
  kAffirmed,     // affirmed(A): some a∈A occurs outside any negation scope
  kMatches,      // text.matches(re)                   regex_id
};

struct TextPredicate {
  PredicateKind kind = PredicateKind::kContains;
  std::vector<uint32_t> terms;    // term ids, sorted, unique
  std::vector<uint32_t> terms_b;  // kNear only
  uint32_t max_chars = 0;         // kNear only
  uint32_t regex_id = 0;          // kMatches only: index into regexes()
};

// Interns predicates (equal predicates share an id) and regexes. Also holds
// the negation cues that kNegated/kAffirmed use, as term ids.
class PredicateTable {
 public:
  explicit PredicateTable(TermTable* terms) : terms_(terms) {}

  uint32_t Intern(const TextPredicate& p);
  // Compiles `pattern` once (UTF-8, the given max_mem); returns its id or an
  // error message from RE2 (ErrorCode text and fragment).
  StatusOr<uint32_t> InternRegex(std::string_view pattern, int64_t max_mem,
                                 int max_program_size);

  const TextPredicate& predicate(uint32_t id) const { return predicates_[id]; }
  size_t size() const { return predicates_.size(); }
  const RE2& regex(uint32_t id) const { return *regexes_[id]; }
  size_t regex_count() const { return regexes_.size(); }
  // Whether RE2's prefilter finds a literal every match of regex `id`
  // contains (the regex-full-scan lint). Computed once per regex: a rule set
  // repeats its guard patterns in hundreds of rules, and each computation
  // compiles the pattern again.
  bool HasPrefilterAtoms(uint32_t id);
  TermTable& terms() { return *terms_; }
  const TermTable& terms() const { return *terms_; }

  // Negation cues that open a scope running to the end of the clause
  // (未发现, 不存在, 均已按规定, 经核实不属实 …), and cues that close a
  // clause negatively after the term (…不属实, …予以澄清, …已整改到位).
  void SetNegationCues(const std::vector<std::string>& before,
                       const std::vector<std::string>& after);
  const std::vector<uint32_t>& cues_before() const { return cues_before_; }
  const std::vector<uint32_t>& cues_after() const { return cues_after_; }

 private:
  TermTable* terms_;
  std::vector<TextPredicate> predicates_;
  std::map<std::string, uint32_t, std::less<>> predicate_ids_;  // key of a predicate -> id
  std::vector<std::unique_ptr<RE2>> regexes_;
  std::map<std::string, uint32_t, std::less<>> regex_ids_;
  std::vector<int8_t> regex_has_atoms_;  // by regex id: -1 not yet known, 0, 1
  std::vector<uint32_t> cues_before_;
  std::vector<uint32_t> cues_after_;
};

// The built-in negation cues, used when a rule set names none.
const std::vector<std::string>& DefaultNegationCuesBefore();
const std::vector<std::string>& DefaultNegationCuesAfter();

// Where the terms occur in one finding's text, and which regexes match.
// Implementations: the engine's (Aho-Corasick + FilteredRE2) and
// NaiveOracle (string search, RE2 per regex). Not thread-safe.
class TextOracle {
 public:
  virtual ~TextOracle() = default;
  virtual std::string_view text() const = 0;
  // Byte offsets of every occurrence of the term (overlapping ones too),
  // ascending.
  virtual std::span<const uint32_t> Occurrences(uint32_t term_id) = 0;
  // Whether regex `id` matches; an error (RE2 out of memory) is a Status,
  // never "no match".
  virtual StatusOr<bool> RegexMatches(uint32_t regex_id) = 0;
  // Code-point index of a byte offset (for near()).
  virtual uint32_t CharIndex(uint32_t byte_offset) = 0;
  // The leftmost match [begin, end) of regex `id`, or nullopt; for evidence.
  virtual std::optional<std::pair<uint32_t, uint32_t>> RegexSpan(uint32_t regex_id) = 0;
};

class NaiveOracle final : public TextOracle {
 public:
  NaiveOracle(const PredicateTable* table, std::string_view text);
  std::string_view text() const override { return text_; }
  std::span<const uint32_t> Occurrences(uint32_t term_id) override;
  StatusOr<bool> RegexMatches(uint32_t regex_id) override;
  uint32_t CharIndex(uint32_t byte_offset) override;
  std::optional<std::pair<uint32_t, uint32_t>> RegexSpan(uint32_t regex_id) override;

 private:
  const PredicateTable* table_;
  std::string_view text_;
  std::map<uint32_t, std::vector<uint32_t>> cache_;
  std::vector<uint32_t> char_index_;  // built lazily
};

// The meaning of a predicate: the one implementation both paths use.
StatusOr<bool> EvaluatePredicate(const PredicateTable& table, uint32_t predicate_id,
                                 TextOracle& oracle);

// Byte spans [begin, end) in the text that made a true predicate true: the
// occurrences of its terms (affirmed: the non-negated ones), or the regex's
// leftmost match. For evidence of fired rules; not on the hot path.
std::vector<std::pair<uint32_t, uint32_t>> PredicateSpans(
    const PredicateTable& table, uint32_t predicate_id, TextOracle& oracle);

// ---------------------------------------------------------------------------
// A necessary condition for a program to be true, over predicate ids:
// kAll = no condition (evaluate always); kPredicate = that predicate true;
// kAnd / kOr over children. Built from the program's top-level && / ||
// structure; anything else (!, ternary, comparisons) is kAll.
struct Requirement {
  enum Kind { kAll, kPredicate, kAnd, kOr };
  Kind kind = kAll;
  uint32_t predicate_id = 0;
  std::vector<Requirement> children;
};

// ---------------------------------------------------------------------------
// What a program can see at run time.

// Conclusions of earlier stages, readable as `result.*`.
struct StageResult {
  std::string category, subcategory, discipline, nature, disposition;
  std::vector<std::string> secondary;  // "category" or "category/subcategory"
  std::vector<std::string> rules;      // ids of rules fired so far
  std::vector<std::string> tags;
  double score = 0;
  int64_t priority = 0;  // the primary rule's priority (0 when unclassified)
  bool classified = false;
};

struct Activation {
  const v1::Finding* finding = nullptr;     // REQUIRED
  const StageResult* result = nullptr;      // null in the first stage
  TextOracle* oracle = nullptr;             // REQUIRED
  // Cache of predicate values for this finding, indexed by predicate id:
  // -1 unknown, 0 false, 1 true, 2 error. May be null (no caching).
  int8_t* predicate_cache = nullptr;
  // The amount in fen that `amount` reads: the finding's own, else one
  // derived from the text by the engine; nullopt = none (reads as 0).
  std::optional<int64_t> amount_fen;
  // All amounts written in the text, in fen (`text_amounts`).
  const std::vector<int64_t>* text_amounts = nullptr;
  // Scores of the rule set's text models for this finding, computed when a
  // condition first asks (model_label, model_prob). Null = no models: those
  // calls evaluate to an error.
  ModelCache* models = nullptr;
};

// The outcome of one evaluation: a bool, or an error (CEL semantics: a
// condition that errors does not fire, and the error is reported), or a
// non-bool value (only for `xuncha expr`).
struct EvalOutcome {
  enum Kind { kBool, kError, kOther };
  Kind kind = kBool;
  bool value = false;
  std::string error;        // kError: "division by zero", …
  std::string display;      // the value as CEL would print it ("[1, 2]")
  std::string type_name;    // CEL type: "bool", "int", "list(string)" …
};

// One step of a traced evaluation, for explain: a sub-expression, its source
// range (byte offsets into the `when` string) and the value it had.
struct TraceStep {
  uint32_t begin = 0, end = 0;
  int depth = 0;
  std::string source;  // the sub-expression's text
  std::string value;   // its value as CEL prints it, or "error: …"
};

// A compiled condition. Immutable, thread-safe.
class Program {
 public:
  virtual ~Program() = default;

  // Evaluates. Allocates nothing on the common path (bool result, text
  // predicates, field comparisons).
  virtual EvalOutcome Evaluate(const Activation& activation) const = 0;
  // Evaluates, recording every sub-expression's value in source order.
  virtual EvalOutcome EvaluateTraced(const Activation& activation,
                                     std::vector<TraceStep>* trace) const = 0;

  virtual const Requirement& requirement() const = 0;
  // Every predicate the program may consult (for evidence spans).
  virtual const std::vector<uint32_t>& predicates() const = 0;
  // The `result.*` fields it reads ("category", "disposition" …), so the
  // checker can say when no earlier stage draws them.
  virtual const std::vector<std::string>& result_fields_read() const = 0;
  // The text models (ids in Environment::models) it may consult, ascending.
  virtual const std::vector<uint32_t>& models_read() const = 0;
  // The CEL type of the whole expression ("bool" for a valid condition).
  virtual std::string result_type() const = 0;
};

// Everything the checker knows about the world of one rule set.
struct Environment {
  // Lexicons by name: lexicon("名称") is their list of terms.
  const std::map<std::string, std::vector<std::string>, std::less<>>* lexicons = nullptr;
  PredicateTable* predicates = nullptr;  // REQUIRED; interned into
  // Text models by name: model_label("名称"), model_prob("名称", "标签").
  const ModelTable* models = nullptr;
  bool result_available = false;         // false in the first stage
  bool require_bool = true;              // false for `xuncha expr`
  ExprLimits limits;
};

// A diagnostic about a position inside the expression source. Offsets are
// bytes into `source`; the caller (src/compile) maps them to the rule file.
struct ExprDiagnostic {
  Severity severity = Severity::kError;
  uint32_t begin = 0;  // byte offset of the offending fragment
  uint32_t end = 0;    // one past it
  std::string message;
  std::string code;
};

// Parses, type-checks and lowers `source`. Returns null when any error was
// diagnosed; warnings (lints) may accompany a program.
std::unique_ptr<Program> CompileExpression(std::string_view source,
                                           const Environment& env,
                                           std::vector<ExprDiagnostic>* diagnostics);

// ---------------------------------------------------------------------------
// Money as people write it, for `money("3850万元")`, the amount lints and the
// extraction of amounts written in a finding's text.

// "3850万元", "1.2亿元", "52.3万", "6,800元", "6800", "三千八百五十万元" →
// fen. nullopt when it is not an amount.
std::optional<int64_t> ParseMoney(std::string_view s);

struct TextAmount {
  int64_t fen = 0;
  uint32_t byte_begin = 0, byte_end = 0;
};
// Every amount written in the text, in order, with its byte span. A bare
// number counts only with a money unit (元/万元/万/亿元/亿) after it.
std::vector<TextAmount> ExtractAmounts(std::string_view text);

}  // namespace xuncha::expr

#endif  // XUNCHA_EXPR_EXPR_H_
