// Cross-unit pattern detection (共性、普遍性、集中性、屡查屡犯 …) over classified
// findings, with a mergeable accumulator so that shards of a large round can
// be summarised separately and combined.
//
//   xuncha::PatternAccumulator acc;                 // default settings
//   for (const v1::ClassifiedFinding& cf : findings) acc.Add(cf);
//   xuncha::StatusOr<v1::PatternReport> report =
//       acc.Finish(rule_set.pattern(), previous_records);
//
// Sharded:
//
//   PatternAccumulator a, b;  ... a.Add(...); b.Add(...);
//   v1::PatternState wire = b.Serialize();        // ship it
//   StatusOr<PatternAccumulator> b2 = PatternAccumulator::Parse(wire);
//   XUNCHA_RETURN_IF_ERROR(a.Merge(std::move(*b2)));  // consumes b2
//
// Merge is associative and commutative: the report of any sharding and merge
// order is byte-identical (serialized) to the report of one pass. Merging
// shards as they arrive with the consuming Merge(PatternAccumulator&&) keeps
// memory at about what the findings need once: each shard's bulk (MinHash
// signatures and shingles) is moved into the result, and the rest of it is
// freed.
//
// The kinds (PatternKind) and their defaults (shared/DOMAIN.md §6; zero in a
// PatternDef means the default):
//   widespread      same category/subcategory in >= 3 units (min_units) or
//                   >= 20% of inspected units (min_unit_share); always >= 2.
//   concentrated    >= 3 findings (min_findings) of one category/subcategory
//                   in one unit / business line / unit kind (group_by), or a
//                   group holding >= 50% (min_line_share) of its cases.
//   recurring       a unit's category/subcategory already recorded for that
//                   unit in an earlier round (PreviousRecord); severity high
//                   and previously_rectified when it had been rectified.
//   shared counterparty  one normalised counterparty name in >= 2 units
//                   (min_units) or >= 3 findings (min_findings).
//   near duplicate  MinHash + LSH over character shingles (shingle_chars 3),
//                   pairs verified by exact Jaccard >= similarity (0.8);
//                   clusters spanning >= 2 units.
//   outlier unit    per category, a unit's count / amount / per_head /
//                   per_contract against its peers of the same Unit.kind,
//                   Tukey fences with k = iqr_k (1.5); peers >= 5.
//   split purchase  one unit, non-open purchases of one item category in one
//                   fiscal year each below threshold_fen (200万元) summing to
//                   >= threshold_fen.
//
// Patterns only aggregate: they never change a finding's classification.

#ifndef XUNCHA_PATTERNS_H_
#define XUNCHA_PATTERNS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/export.h"
#include "xuncha/status.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/patterns.pb.h"

namespace xuncha {

// A finding of an earlier round, as the ledger (or earlier classified output)
// knows it: enough to recognise recurrence.
struct PreviousRecord {
  std::string unit_id;
  std::string category;
  std::string subcategory;
  std::string round;
  std::string finding_id;
  bool rectified = false;  // the ledger marked it rectified (整改完成/销号)
};

// Earlier-round classified output as PreviousRecords. A finding counts as
// rectified when its id is in `rectified_ids`, or, failing that, when its
// attrs["整改状态"] is one of 已整改 / 已完成 / 整改完成 / 已销号 / closed /
// accepted, or it carries the tag "rectified". Unclassified findings are
// skipped (they name no category).
XUNCHA_EXPORT std::vector<PreviousRecord> PreviousRecordsFromClassified(
    const std::vector<v1::ClassifiedFinding>& findings,
    const std::vector<std::string>& rectified_ids = {});

// The counterparty name key: full-width folded to half-width, whitespace
// and punctuation removed, Latin letters lower-cased, company-form suffixes
// (股份有限公司, 有限责任公司, 有限公司, (集团), 集团, 公司, co.,ltd …) removed
// from the end. "华信建设（集团）有限公司" and "华信 建设有限责任公司" both
// give "华信建设". A name that is nothing but a suffix keeps it.
XUNCHA_EXPORT std::string NormalizeCounterpartyName(std::string_view name);

// One definition of each kind with every threshold at its default, titles
// and suggested fixes in Chinese. Used when a rule set defines no patterns.
XUNCHA_EXPORT std::vector<v1::PatternDef> DefaultPatternDefs();

// What the accumulator keeps per finding. Two accumulators merge only when
// their options are equal.
struct AccumulatorOptions {
  // Characters per shingle for near-duplicate detection. Must equal the
  // shingle_chars (or default 3) of every near-duplicate PatternDef given
  // to Finish().
  int shingle_chars = 3;
  // MinHash signature length (values per finding). 0 keeps no signatures
  // and no shingles (no near-duplicate detection; less memory).
  int minhash_size = 32;
  // Seed of every hash; fixed so results do not depend on the process.
  uint64_t hash_seed = 0x78756e6368613031ULL;  // "xuncha01"
  // Finding attrs kept per finding (split purchases, per-contract
  // outliers). Sorted and deduplicated by the accumulator.
  std::vector<std::string> attr_keys = {"合同编号", "物资类别", "采购方式"};

  // Options that serve `defs`: their shingle size and attr keys. Fails with
  // InvalidArgument when near-duplicate defs ask for different shingle sizes.
  static StatusOr<AccumulatorOptions> ForDefs(const std::vector<v1::PatternDef>& defs);
  static StatusOr<AccumulatorOptions> ForDefs(
      const google::protobuf::RepeatedPtrField<v1::PatternDef>& defs);
};

struct FinishOptions {
  // The units inspected in the round (for min_unit_share). Empty = the
  // distinct units seen in the input.
  std::vector<std::string> inspected_unit_ids;
  // Near duplicate: an LSH bucket larger than this is not compared pair by
  // pair; each member is verified against the bucket's first `lsh_window`
  // members and its predecessor (in finding-id order), which keeps
  // templated texts linear. A cluster can then miss a member whose only
  // similar partners in every band were elsewhere in large buckets.
  int lsh_full_bucket = 16;
  int lsh_window = 2;
  // At most this many finding ids per pattern (the smallest, sorted), with
  // Pattern.finding_ids_truncated set; 0 = all. At a million findings most
  // subcategories are widespread and a full report repeats every id.
  int max_member_ids = 0;
};

// Collects compact per-finding state and detects patterns on Finish().
// Owned by the caller. Thread-compatible; copyable (a deep copy) and movable.
class XUNCHA_EXPORT PatternAccumulator {
 public:
  explicit PatternAccumulator(AccumulatorOptions options = {});
  ~PatternAccumulator();
  PatternAccumulator(const PatternAccumulator& other);
  PatternAccumulator& operator=(const PatternAccumulator& other);
  PatternAccumulator(PatternAccumulator&& other) noexcept;
  PatternAccumulator& operator=(PatternAccumulator&& other) noexcept;

  // Records one finding. Never fails: an unclassified finding still counts
  // for units inspected, counterparties and near duplicates.
  void Add(const v1::ClassifiedFinding& finding);

  // Adds everything `other` holds. Returns InvalidArgument (and changes
  // nothing) when the options differ.
  Status Merge(const PatternAccumulator& other);
  // The same, consuming `other`: its largest parts are moved instead of
  // copied, and it is left empty (size() 0, same options), its memory freed.
  // Much cheaper than merging a copy. On InvalidArgument neither changes.
  Status Merge(PatternAccumulator&& other);

  // Merges many at once: reserves the final sizes first, so the flat arrays
  // are copied once instead of regrown. Same result as Merge() in turn.
  // Returns InvalidArgument (after merging the ones before it) at the
  // first accumulator whose options differ.
  Status MergeAll(const std::vector<const PatternAccumulator*>& others);

  // The state as a message, in canonical order (the same findings give the
  // same bytes however they were added).
  v1::PatternState Serialize() const;
  // Rebuilds an accumulator. Returns InvalidArgument or DataLoss on a state
  // this version cannot read (unknown format_version, wrong signature sizes).
  static StatusOr<PatternAccumulator> Parse(const v1::PatternState& state);

  // Detects the patterns of `defs` (DefaultPatternDefs() when empty) in
  // everything added. Patterns come in the order of `defs`, and within one
  // def sorted; a pattern with the same kind, key, members and summary as
  // one an earlier def found is not repeated. The common-problems list has one line
  // per widespread (category, subcategory), most units first; its fix comes
  // from the most specific def that found it and has one, else a default per
  // category. Returns InvalidArgument for a def with an unknown kind,
  // group_by or measure, a repeated def id, or a shingle size other than the
  // accumulator's.
  //
  // Reports are compared byte for byte only under deterministic
  // serialization (Pattern.stats is a map).
  //
  // Restrictions: a def's category/subcategory restricts the findings every
  // kind looks at (split purchases included). Outliers: Tukey fences over
  // the peer group (same Unit.kind, the unit itself included); a high outlier
  // also needs min_findings (default 2) findings of its own.
  StatusOr<v1::PatternReport> Finish(const std::vector<v1::PatternDef>& defs,
                                     const std::vector<PreviousRecord>& previous = {},
                                     const FinishOptions& options = {}) const;

  const AccumulatorOptions& options() const;
  // Number of findings added (merged ones included).
  int64_t size() const;
  // Approximate bytes held.
  size_t MemoryUsage() const;

  struct Rep;  // internal

 private:
  std::unique_ptr<Rep> rep_;
};

// One call for small inputs: builds an accumulator for `defs` and finishes.
XUNCHA_EXPORT StatusOr<v1::PatternReport> DetectPatterns(
    const std::vector<v1::ClassifiedFinding>& findings,
    const std::vector<v1::PatternDef>& defs,
    const std::vector<PreviousRecord>& previous = {}, const FinishOptions& options = {});

}  // namespace xuncha

#endif  // XUNCHA_PATTERNS_H_
