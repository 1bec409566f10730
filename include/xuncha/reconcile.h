// Back-to-back reconciliation (背靠背 -> 面对面). The inspection team and the
// inspected unit each write their list of findings independently; before the
// face-to-face meeting the two lists are aligned one-to-one, and what does not
// align -- items only one side listed, pairs the two sides qualify
// differently, doubtful pairs -- becomes the meeting's agenda.
//
//   StatusOr<v1::Reconciliation> r = xuncha::Reconcile(inspectors, unit_list);
//   for (const v1::AgendaItem& item : r->agenda()) ...
//
// Scoring. Only findings of the same unit (Unit.id) are paired. A candidate
// pair's score is a weighted mean of the signals both sides carry:
//   text          always: cosine of the two sets of character n-grams
//                 (n = shingle_chars, default 2) after width folding,
//                 punctuation removal and removal of the unit's own name and
//                 self-references (我公司, 本单位 …), which both sides repeat;
//   amount        when both state one: (min/max of the two amounts)^8, so
//                 only nearly equal amounts count (0.95 -> 0.66, 0.75 -> 0.1);
//   category      when both are classified in the same category: 1 same
//                 subcategory, 0.5 otherwise. Different categories are left
//                 out of the mean rather than scored 0: pairs the two sides
//                 qualify differently are what the meeting must discuss, so
//                 disagreement must not keep them from pairing;
//   counterparty  when both name counterparties: 1 if they share a
//                 normalised name (NormalizeCounterpartyName), else 0.
// Assignment is greedy: candidates by score (ties by ids), each accepted when
// both sides are still free and the score is at least `threshold`. Greedy is
// not the optimal assignment, but within one unit the lists are short and
// true pairs score well above their competitors; it is also easy to explain
// to the people at the meeting ("most similar first").
//
// Everything here is a pure function: thread-safe.

#ifndef XUNCHA_RECONCILE_H_
#define XUNCHA_RECONCILE_H_

#include <vector>

#include "xuncha/export.h"
#include "xuncha/status.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/patterns.pb.h"

namespace xuncha {

struct ReconcileOptions {
  double threshold = 0.30;      // minimum score of a match
  double low_confidence = 0.45; // matches below this go on the agenda too
  int shingle_chars = 2;        // n of the character n-grams
  double text_weight = 0.6;
  double amount_weight = 0.2;
  double category_weight = 0.15;
  double counterparty_weight = 0.15;
};

// Aligns the inspection team's findings with the unit's. Findings may be
// unclassified (a ClassifiedFinding with only `finding` set). Returns
// InvalidArgument when a finding id is empty or repeats within one list.
XUNCHA_EXPORT StatusOr<v1::Reconciliation> Reconcile(
    const std::vector<v1::ClassifiedFinding>& inspectors,
    const std::vector<v1::ClassifiedFinding>& unit, const ReconcileOptions& options = {});

}  // namespace xuncha

#endif  // XUNCHA_RECONCILE_H_
