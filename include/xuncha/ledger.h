// The problem ledger (问题清单 / 整改台账): classified problems tracked through
// their lifecycle (shared/DOMAIN.md §4) in one SQLite file per round or
// programme.
//
//   auto ledger = xuncha::Ledger::Open("2024-R1.ledger");
//   if (!ledger.ok()) ...
//   xuncha::StatusOr<xuncha::ImportStats> stats = (*ledger)->Import(classified);
//   xuncha::TransitionRequest req;
//   req.id = "F-0001"; req.to_state = "verifying"; req.actor = "第三巡察组";
//   xuncha::Status s = (*ledger)->Transition(req);  // refused with a reason
//
// Design notes.
// * Only problems become entries: a ClassifiedFinding with classified=true
//   and a disposition other than "none". Unclassified findings ("a person
//   must look") and statements of compliance / leads closed with disposition
//   "none" are recorded in a `skipped` table with their reason and counted in
//   the report, never dropped silently. Re-importing an id already present is
//   counted as a duplicate and changes nothing (imports are idempotent).
// * The transition table lives in one place (lifecycle.cc); every refusal
//   names both states and the allowed next states, in Chinese and English.
// * Every change is one transaction; the history (events table) is
//   append-only, enforced by triggers. An entry is stored as its serialized
//   LedgerEntry (without history) plus indexed columns (state, round, unit,
//   subcategory, deadline, disclosure); the columns are authoritative.
// * WAL journal: readers in other processes proceed while one writer works.
//   Bulk import commits one transaction per batch, so a crash leaves exactly
//   a prefix of whole batches.
// * Rounds are ordered by their id as a string ("2023-R2" < "2024-R1"); an
//   entry recurs when an entry of an earlier round has the same unit id,
//   category and subcategory, or when it is tagged (subcategory
//   rectification/recurrence, a "recurrence"/"屡查屡犯" tag).

#ifndef XUNCHA_LEDGER_H_
#define XUNCHA_LEDGER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/export.h"
#include "xuncha/status.h"
#include "xuncha/taxonomy.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/ledger.pb.h"

namespace xuncha {

// --- Lifecycle --------------------------------------------------------------

// The states a `from` state may move to, in DOMAIN.md order; empty for a
// final state (written_off) and for unknown ids.
XUNCHA_EXPORT const std::vector<std::string_view>& AllowedNextStates(std::string_view from);
// OK if the table allows from -> to; otherwise FAILED_PRECONDITION (or
// INVALID_ARGUMENT for an unknown id) whose message, Chinese then English,
// names both states and the allowed next states.
XUNCHA_EXPORT Status CheckTransition(std::string_view from, std::string_view to);

// Escalation levels of overdue rectifications, in order: supervise 督办,
// remind 提醒, warn 告诫, accountability 问责.
XUNCHA_EXPORT const std::vector<TaxonomyEntry>& EscalationLevels();
// Disclosure levels, widest first: public 社会公开, internal 党内,
// withheld 不公开.
XUNCHA_EXPORT const std::vector<TaxonomyEntry>& DisclosureLevels();
XUNCHA_EXPORT bool IsDisclosureLevel(std::string_view id);
XUNCHA_EXPORT std::string_view DisclosureName(std::string_view id);
// True if an entry with disclosure `entry_level` may be shown to `audience`:
// public sees public; internal sees public and internal; withheld sees all.
// An empty entry level counts as internal.
XUNCHA_EXPORT bool VisibleTo(std::string_view entry_level, std::string_view audience);

// --- Time -------------------------------------------------------------------

// Injected so that tests are deterministic. Null means the system clock.
using Clock = std::function<std::chrono::system_clock::time_point()>;
// "2026-11-27T22:49:00Z" (UTC, whole seconds).
XUNCHA_EXPORT std::string FormatUtc(std::chrono::system_clock::time_point t);
// A clock that always answers `iso` ("YYYY-MM-DDTHH:MM:SSZ"); for tests.
XUNCHA_EXPORT Clock FixedClock(std::string_view iso);
// True for a valid calendar date "YYYY-MM-DD".
XUNCHA_EXPORT bool IsIsoDate(std::string_view s);

// --- Entries without a database -------------------------------------------

struct ImportOptions {
  int batch_size = 1000;             // findings per transaction
  std::string actor = "import";      // recorded on the import event
  std::string disclosure = "internal";       // for ordinary problems
  std::string lead_disclosure = "withheld";  // for transfer_lead (person-related)
  // Called after each committed batch with the findings committed so far.
  std::function<void(int64_t)> on_batch;
};

struct ImportStats {
  int64_t added = 0;
  int64_t duplicates = 0;        // id already in the ledger: nothing changed
  int64_t unclassified = 0;      // classified=false: skipped, listed
  int64_t disposition_none = 0;  // compliance statements / closed leads
  int64_t batches = 0;
};

// Why a classified finding is not a ledger entry: "" (it is one),
// "unclassified" or "disposition_none".
XUNCHA_EXPORT std::string_view SkipReason(const v1::ClassifiedFinding& cf);
// The entry a problem becomes on import (state draft, the import event in
// its history). REQUIRES: SkipReason(cf) is "".
XUNCHA_EXPORT v1::LedgerEntry MakeEntry(const v1::ClassifiedFinding& cf, int64_t seq,
                                        const ImportOptions& options, std::string_view now);
// Builds entries and skipped records in memory, as Import() would on an
// empty ledger (for reports straight from classified output).
XUNCHA_EXPORT void BuildEntries(const std::vector<v1::ClassifiedFinding>& findings,
                                const ImportOptions& options, std::string_view now,
                                std::vector<v1::LedgerEntry>* entries,
                                std::vector<v1::SkippedFinding>* skipped);

// --- Changes ----------------------------------------------------------------

// Fields a change may set; unset fields keep their value.
struct EntryUpdate {
  std::optional<std::string> responsible_unit;
  std::optional<std::string> responsible_leader;
  std::optional<std::string> responsible_person;
  std::optional<std::string> measures;
  std::optional<std::string> target;
  std::optional<std::string> deadline;  // "YYYY-MM-DD"
  std::optional<std::string> completed_on;
  std::optional<std::string> evidence;
  std::optional<std::string> accountability;
  std::optional<std::string> basis;  // basis of a write-off
  std::optional<std::string> transfer_target;
  std::optional<std::string> feedback;
  std::optional<std::string> disclosure;
  std::optional<int64_t> recovered_fen;
  std::optional<int64_t> to_recover_fen;
  std::optional<int32_t> people_handled;
  std::vector<std::string> rules_made;  // appended
};

// A state change (to_state set) or, with to_state empty, an update of fields
// in the current state. Guards by target state:
//   written_off  note (the reason) and basis
//   claimed      responsible unit and responsible person
//   in_progress  measures and a valid deadline; from overdue it is an
//                extension: a new, later deadline and the reason in note
//   overdue      a deadline before as_of (default: the clock's date)
//   submitted    evidence (佐证材料)
//   transferred  a transfer target (discipline | organization), from the
//                update or the classification
//   feedback_received  feedback (update or note)
//   accepted     sets completed_on to today if empty
//   closed, written_off  set closed_at
struct TransitionRequest {
  std::string id;
  std::string to_state;
  std::string actor;
  std::string note;
  std::string as_of;  // "YYYY-MM-DD"; empty = the clock's date
  EntryUpdate update;
};

struct RecurringItem {
  v1::LedgerEntry entry;
  std::string earlier_id;     // empty when only tagged
  std::string earlier_round;
  std::string reason;         // "earlier_round" | "tagged"
};

struct LedgerOptions {
  Clock clock;                // null = system clock
  int busy_timeout_ms = 10000;
};

// One ledger database. Thread-compatible: use one Ledger per thread. Other
// processes may read the same file while this one writes (WAL).
class XUNCHA_EXPORT Ledger {
 public:
  // The schema version this code writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 2;

  // Opens or creates the database and migrates it to kSchemaVersion.
  // Fails with FAILED_PRECONDITION for a newer schema, UNAVAILABLE when the
  // file cannot be opened.
  static StatusOr<std::unique_ptr<Ledger>> Open(const std::string& path,
                                                const LedgerOptions& options = {});
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  int schema_version() const;

  // Imports problems in batches of options.batch_size, one transaction each.
  StatusOr<ImportStats> Import(const std::vector<v1::ClassifiedFinding>& findings,
                               const ImportOptions& options = {});

  // NOT_FOUND for an unknown id. History is always filled.
  StatusOr<v1::LedgerEntry> Get(std::string_view id);
  // Every entry by seq; history only when asked.
  Status ForEach(const std::function<Status(const v1::LedgerEntry&)>& fn,
                 bool with_history = false);
  StatusOr<std::vector<v1::LedgerEntry>> Entries(bool with_history = false);
  StatusOr<std::vector<v1::SkippedFinding>> Skipped();
  StatusOr<int64_t> Count();

  // One change in one transaction. Refusals are FAILED_PRECONDITION (state
  // or guard), INVALID_ARGUMENT (bad id/date/value), NOT_FOUND.
  Status Transition(const TransitionRequest& request);
  // Applies the requests in order in ONE transaction; a request that fails
  // is rolled back alone (savepoint) and its Status returned at its index.
  // The outer Status is for I/O failure (then nothing is applied).
  StatusOr<std::vector<Status>> ApplyAll(const std::vector<TransitionRequest>& requests);
  // The unit's explanation (说明) with evidence; only while verifying.
  Status Explain(std::string_view id, std::string_view text,
                 const std::vector<v1::EvidenceRef>& evidence, std::string_view actor);
  // The next escalation step of an overdue entry; FAILED_PRECONDITION when
  // not overdue or already at 问责. Returns the level reached.
  StatusOr<std::string> Escalate(std::string_view id, std::string_view actor,
                                 std::string_view note);
  // Moves every in_progress entry whose deadline is before as_of to overdue
  // (one transaction); returns their ids by seq.
  StatusOr<std::vector<std::string>> MarkOverdue(std::string_view as_of, std::string_view actor);
  // Entries overdue, or in progress past their deadline as of `as_of`, by
  // deadline then seq.
  StatusOr<std::vector<v1::LedgerEntry>> Overdue(std::string_view as_of);
  // Recurring items (see the design notes), by seq.
  StatusOr<std::vector<RecurringItem>> Recurring();

 private:
  class Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace xuncha

#endif  // XUNCHA_LEDGER_H_
