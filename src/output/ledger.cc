// The ledger on SQLite. See include/xuncha/ledger.h for the design notes.
//
// Schema (user_version):
//   1  entries(id, seq, round, unit_id, category, subcategory, state,
//      deadline, data) + events(entry_id, seq, kind, from_state, to_state,
//      actor, at, note)
//   2  entries.disclosure and entries.batch columns, an index on
//      (unit_id, category, subcategory) for recurrence, the skipped table,
//      and triggers that make events append-only. Entries of a version 1
//      ledger had no disclosure level; they become "internal".

#include "xuncha/ledger.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "output/sqlite_util.h"
#include "xuncha/taxonomy.h"

namespace xuncha {

namespace ledger_internal {

namespace {

constexpr const char* kStep1 = R"sql(
CREATE TABLE entries(
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  round TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  category TEXT NOT NULL,
  subcategory TEXT NOT NULL,
  state TEXT NOT NULL,
  deadline TEXT NOT NULL DEFAULT '',
  data BLOB NOT NULL);
CREATE INDEX entries_state ON entries(state, deadline);
CREATE TABLE events(
  entry_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY(entry_id, seq)) WITHOUT ROWID;
)sql";

constexpr const char* kStep2 = R"sql(
ALTER TABLE entries ADD COLUMN disclosure TEXT NOT NULL DEFAULT 'internal';
ALTER TABLE entries ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
CREATE INDEX entries_recurrence ON entries(unit_id, category, subcategory, round);
CREATE TABLE skipped(
  finding_id TEXT NOT NULL,
  round TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY(finding_id, round)) WITHOUT ROWID;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'ledger history is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'ledger history is append-only'); END;
)sql";

const char* const kSteps[] = {kStep1, kStep2};

}  // namespace

int UserVersion(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  int v = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int(st, 0);
  }
  sqlite3_finalize(st);
  return v;
}

Status MigrateTo(sqlite3* db, int target_version) {
  for (;;) {
    XUNCHA_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    int v = UserVersion(db);  // re-read under the write lock
    if (v < 0) {
      Exec(db, "ROLLBACK");
      return SqlError(db, "read user_version");
    }
    if (v > Ledger::kSchemaVersion) {
      Exec(db, "ROLLBACK");
      return FailedPreconditionError("ledger schema version " + std::to_string(v) +
                                     " is newer than this program's " +
                                     std::to_string(Ledger::kSchemaVersion));
    }
    if (v >= target_version) return Exec(db, "COMMIT");
    Status s = Exec(db, kSteps[v]);
    if (s.ok()) {
      std::string pragma = "PRAGMA user_version = " + std::to_string(v + 1);
      s = Exec(db, pragma.c_str());
    }
    if (!s.ok()) {
      Exec(db, "ROLLBACK");
      return s;
    }
    XUNCHA_RETURN_IF_ERROR(Exec(db, "COMMIT"));
  }
}

}  // namespace ledger_internal

using ledger_internal::Exec;
using ledger_internal::SqlError;
using ledger_internal::Stmt;

// --- Entries without a database -------------------------------------------

std::string_view SkipReason(const v1::ClassifiedFinding& cf) {
  if (!cf.classification().classified()) return "unclassified";
  if (cf.classification().disposition() == "none") return "disposition_none";
  return "";
}

namespace {

bool HasRecurrenceTag(const v1::ClassifiedFinding& cf) {
  const v1::Classification& c = cf.classification();
  if (c.category() == "rectification" && c.subcategory() == "recurrence") return true;
  for (const v1::CategoryRef& r : c.secondary()) {
    if (r.category() == "rectification" && r.subcategory() == "recurrence") return true;
  }
  auto tagged = [](const auto& tags) {
    for (const std::string& t : tags) {
      if (t == "recurrence" || t == "屡查屡犯") return true;
    }
    return false;
  };
  return tagged(c.tags()) || tagged(cf.finding().tags());
}

std::string Today(const std::string& now) { return now.substr(0, 10); }

}  // namespace

v1::LedgerEntry MakeEntry(const v1::ClassifiedFinding& cf, int64_t seq,
                          const ImportOptions& options, std::string_view now) {
  v1::LedgerEntry e;
  e.set_id(cf.finding().id());
  e.set_seq(seq);
  *e.mutable_finding() = cf.finding();
  *e.mutable_classification() = cf.classification();
  e.set_state("draft");
  bool lead = cf.classification().disposition() == "transfer_lead";
  e.set_disclosure(lead ? options.lead_disclosure : options.disclosure);
  e.set_transfer_target(cf.classification().transfer_target());
  e.set_recurrence(HasRecurrenceTag(cf));
  e.set_created_at(std::string(now));
  e.set_updated_at(std::string(now));
  v1::Transition* t = e.add_history();
  t->set_seq(1);
  t->set_kind("import");
  t->set_to_state("draft");
  t->set_actor(options.actor);
  t->set_at(std::string(now));
  return e;
}

void BuildEntries(const std::vector<v1::ClassifiedFinding>& findings,
                  const ImportOptions& options, std::string_view now,
                  std::vector<v1::LedgerEntry>* entries,
                  std::vector<v1::SkippedFinding>* skipped) {
  std::set<std::string> seen;
  int64_t seq = 0;
  for (const v1::ClassifiedFinding& cf : findings) {
    std::string_view reason = SkipReason(cf);
    if (reason.empty() && !seen.insert(cf.finding().id()).second) reason = "duplicate";
    if (!reason.empty()) {
      if (skipped != nullptr && reason != "duplicate") {
        v1::SkippedFinding s;
        s.set_finding_id(cf.finding().id());
        s.set_round(cf.finding().round());
        s.set_unit_id(cf.finding().unit().id());
        s.set_reason(std::string(reason));
        skipped->push_back(std::move(s));
      }
      continue;
    }
    entries->push_back(MakeEntry(cf, ++seq, options, now));
  }
}

// --- The database -----------------------------------------------------------

class Ledger::Impl {
 public:
  ~Impl() {
    // Statements first, then the connection.
    stmts_.clear();
    sqlite3_close_v2(db_);
  }

  Status Open(const std::string& path, const LedgerOptions& options) {
    clock_ = options.clock;
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      std::string m = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      return UnavailableError("open ledger " + path + ": " + m);
    }
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    // WAL: concurrent readers while one writer works. synchronous=NORMAL is
    // durable against process crashes (the kind the crash test makes); a
    // power loss may lose the last commits but never corrupts the file.
    XUNCHA_RETURN_IF_ERROR(Exec(db_, "PRAGMA journal_mode=WAL"));
    XUNCHA_RETURN_IF_ERROR(Exec(db_, "PRAGMA synchronous=NORMAL"));
    XUNCHA_RETURN_IF_ERROR(Exec(db_, "PRAGMA foreign_keys=ON"));
    XUNCHA_RETURN_IF_ERROR(ledger_internal::MigrateTo(db_, Ledger::kSchemaVersion));
    return Status::OK();
  }

  std::string Now() const {
    return FormatUtc(clock_ ? clock_() : std::chrono::system_clock::now());
  }

  // A cached prepared statement, reset and ready.
  StatusOr<Stmt*> S(const char* sql) {
    auto it = stmts_.find(sql);
    if (it == stmts_.end()) {
      auto st = std::make_unique<Stmt>();
      XUNCHA_RETURN_IF_ERROR(st->Prepare(db_, sql));
      it = stmts_.emplace(sql, std::move(st)).first;
    }
    it->second->Reset();
    return it->second.get();
  }

  Status Begin() { return Exec(db_, "BEGIN IMMEDIATE"); }
  Status Commit() { return Exec(db_, "COMMIT"); }
  void Rollback() { Exec(db_, "ROLLBACK"); }

  // --- Import ---

  StatusOr<ImportStats> Import(const std::vector<v1::ClassifiedFinding>& findings,
                               const ImportOptions& options) {
    if (options.batch_size <= 0) return InvalidArgumentError("batch_size must be positive");
    if (!IsDisclosureLevel(options.disclosure) || !IsDisclosureLevel(options.lead_disclosure)) {
      return InvalidArgumentError("unknown disclosure level in import options");
    }
    ImportStats stats;
    const std::string now = Now();
    size_t i = 0;
    while (i < findings.size()) {
      size_t end = std::min(findings.size(), i + static_cast<size_t>(options.batch_size));
      ImportStats batch_stats;
      XUNCHA_RETURN_IF_ERROR(Begin());
      Status s = ImportBatch(findings, i, end, options, now, &batch_stats);
      if (s.ok()) s = Commit();
      if (!s.ok()) {
        Rollback();
        return s;
      }
      stats.added += batch_stats.added;
      stats.duplicates += batch_stats.duplicates;
      stats.unclassified += batch_stats.unclassified;
      stats.disposition_none += batch_stats.disposition_none;
      ++stats.batches;
      i = end;
      if (options.on_batch) options.on_batch(static_cast<int64_t>(i));
    }
    return stats;
  }

  Status ImportBatch(const std::vector<v1::ClassifiedFinding>& findings, size_t begin,
                     size_t end, const ImportOptions& options, const std::string& now,
                     ImportStats* stats) {
    // The last entry by seq (an index lookup, not a scan): seq and batch
    // both grow under the write lock, so it carries the highest of each.
    XUNCHA_ASSIGN_OR_RETURN(Stmt * next, S("SELECT seq, batch FROM entries "
                                           "ORDER BY seq DESC LIMIT 1"));
    int64_t seq = 0, batch = 1;
    int rc = next->Step();
    if (rc == SQLITE_ROW) {
      seq = next->Int(0);
      batch = next->Int(1) + 1;
    } else if (rc != SQLITE_DONE) {
      return SqlError(db_, "next seq");
    }
    next->Reset();
    XUNCHA_ASSIGN_OR_RETURN(
        Stmt * ins, S("INSERT INTO entries(id, seq, round, unit_id, category, "
                      "subcategory, state, deadline, data, disclosure, batch) "
                      "VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING"));
    XUNCHA_ASSIGN_OR_RETURN(
        Stmt * skip, S("INSERT INTO skipped(finding_id, round, unit_id, reason) "
                       "VALUES(?,?,?,?) ON CONFLICT DO NOTHING"));
    std::string blob;
    for (size_t i = begin; i < end; ++i) {
      const v1::ClassifiedFinding& cf = findings[i];
      std::string_view reason = SkipReason(cf);
      if (!reason.empty()) {
        (reason == "unclassified" ? stats->unclassified : stats->disposition_none)++;
        skip->Bind(1, cf.finding().id());
        skip->Bind(2, cf.finding().round());
        skip->Bind(3, cf.finding().unit().id());
        skip->Bind(4, reason);
        XUNCHA_RETURN_IF_ERROR(skip->Run("insert skipped"));
        continue;
      }
      if (cf.finding().id().empty()) {
        return InvalidArgumentError("finding #" + std::to_string(i + 1) + " has no id");
      }
      v1::LedgerEntry e = MakeEntry(cf, seq + 1, options, now);
      v1::Transition event = e.history(0);
      e.clear_history();
      blob.clear();
      e.SerializeToString(&blob);
      ins->Bind(1, e.id());
      ins->Bind(2, e.seq());
      ins->Bind(3, cf.finding().round());
      ins->Bind(4, cf.finding().unit().id());
      ins->Bind(5, cf.classification().category());
      ins->Bind(6, cf.classification().subcategory());
      ins->Bind(7, e.state());
      ins->Bind(8, std::string_view());
      ins->BindBlob(9, blob);
      ins->Bind(10, e.disclosure());
      ins->Bind(11, batch);
      XUNCHA_RETURN_IF_ERROR(ins->Run("insert entry"));
      if (sqlite3_changes(db_) == 0) {
        ++stats->duplicates;
        continue;
      }
      ++seq;
      ++stats->added;
      XUNCHA_RETURN_IF_ERROR(InsertEvent(e.id(), event));
    }
    return Status::OK();
  }

  Status InsertEvent(const std::string& id, const v1::Transition& t) {
    XUNCHA_ASSIGN_OR_RETURN(Stmt * ev, S("INSERT INTO events(entry_id, seq, kind, from_state, "
                                         "to_state, actor, at, note) VALUES(?,?,?,?,?,?,?,?)"));
    ev->Bind(1, id);
    ev->Bind(2, t.seq());
    ev->Bind(3, t.kind());
    ev->Bind(4, t.from_state());
    ev->Bind(5, t.to_state());
    ev->Bind(6, t.actor());
    ev->Bind(7, t.at());
    ev->Bind(8, t.note());
    return ev->Run("insert event");
  }

  // --- Reading ---

  static constexpr const char* kSelect =
      "SELECT id, state, disclosure, data FROM entries";

  Status FromRow(Stmt* st, v1::LedgerEntry* e) {
    std::string_view blob = st->Blob(3);
    if (!e->ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
      return DataLossError("ledger entry " + st->Text(0) + " is not a valid LedgerEntry");
    }
    e->set_state(st->Text(1));
    e->set_disclosure(st->Text(2));
    return Status::OK();
  }

  Status LoadHistory(v1::LedgerEntry* e) {
    XUNCHA_ASSIGN_OR_RETURN(Stmt * st, S("SELECT seq, kind, from_state, to_state, actor, at, "
                                         "note FROM events WHERE entry_id = ? ORDER BY seq"));
    st->Bind(1, e->id());
    e->clear_history();
    int rc;
    while ((rc = st->Step()) == SQLITE_ROW) {
      v1::Transition* t = e->add_history();
      t->set_seq(st->Int(0));
      t->set_kind(st->Text(1));
      t->set_from_state(st->Text(2));
      t->set_to_state(st->Text(3));
      t->set_actor(st->Text(4));
      t->set_at(st->Text(5));
      t->set_note(st->Text(6));
    }
    st->Reset();
    return rc == SQLITE_DONE ? Status::OK() : SqlError(db_, "read history");
  }

  StatusOr<v1::LedgerEntry> Get(std::string_view id, bool with_history) {
    XUNCHA_ASSIGN_OR_RETURN(Stmt * st, S("SELECT id, state, disclosure, data FROM entries "
                                         "WHERE id = ?"));
    st->Bind(1, id);
    int rc = st->Step();
    if (rc == SQLITE_DONE) {
      st->Reset();
      return NotFoundError("问题编号「" + std::string(id) + "」不在台账中 / no ledger entry '" +
                           std::string(id) + "'");
    }
    if (rc != SQLITE_ROW) return SqlError(db_, "read entry");
    v1::LedgerEntry e;
    Status s = FromRow(st, &e);
    st->Reset();
    XUNCHA_RETURN_IF_ERROR(s);
    if (with_history) XUNCHA_RETURN_IF_ERROR(LoadHistory(&e));
    return e;
  }

  // Runs `fn` on entries selected by `where` (SQL after WHERE, or "").
  Status Scan(const std::string& where, const std::string& order,
              const std::function<void(Stmt*)>& bind,
              const std::function<Status(const v1::LedgerEntry&)>& fn, bool with_history) {
    std::string sql = std::string(kSelect) + (where.empty() ? "" : " WHERE " + where) +
                      " ORDER BY " + order;
    // Not cached: a scan may call back into code that uses the cache.
    Stmt st;
    XUNCHA_RETURN_IF_ERROR(st.Prepare(db_, sql.c_str()));
    if (bind) bind(&st);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      v1::LedgerEntry e;
      XUNCHA_RETURN_IF_ERROR(FromRow(&st, &e));
      if (with_history) XUNCHA_RETURN_IF_ERROR(LoadHistory(&e));
      XUNCHA_RETURN_IF_ERROR(fn(e));
    }
    return rc == SQLITE_DONE ? Status::OK() : SqlError(db_, "scan entries");
  }

  // --- Changes ---

  Status Store(const v1::LedgerEntry& e, const v1::Transition& event) {
    v1::LedgerEntry copy = e;
    copy.clear_history();
    std::string blob;
    copy.SerializeToString(&blob);
    XUNCHA_ASSIGN_OR_RETURN(Stmt * up, S("UPDATE entries SET state = ?, deadline = ?, "
                                         "disclosure = ?, data = ? WHERE id = ?"));
    up->Bind(1, e.state());
    up->Bind(2, e.rectification().deadline());
    up->Bind(3, e.disclosure());
    up->BindBlob(4, blob);
    up->Bind(5, e.id());
    XUNCHA_RETURN_IF_ERROR(up->Run("update entry"));
    XUNCHA_ASSIGN_OR_RETURN(Stmt * mx, S("SELECT COALESCE(MAX(seq), 0) FROM events "
                                         "WHERE entry_id = ?"));
    mx->Bind(1, e.id());
    if (mx->Step() != SQLITE_ROW) return SqlError(db_, "event seq");
    v1::Transition t = event;
    t.set_seq(mx->Int(0) + 1);
    mx->Reset();
    return InsertEvent(e.id(), t);
  }

  static v1::Transition Event(std::string_view kind, std::string_view from,
                              std::string_view to, std::string_view actor,
                              std::string_view note, const std::string& now) {
    v1::Transition t;
    t.set_kind(std::string(kind));
    t.set_from_state(std::string(from));
    t.set_to_state(std::string(to));
    t.set_actor(std::string(actor));
    t.set_at(now);
    t.set_note(std::string(note));
    return t;
  }

  Status ApplyInTxn(const TransitionRequest& r) {
    if (r.actor.empty()) {
      return InvalidArgumentError("需要填写操作人 / an actor is required");
    }
    XUNCHA_ASSIGN_OR_RETURN(v1::LedgerEntry e, Get(r.id, false));
    const std::string now = Now();
    const std::string as_of = r.as_of.empty() ? Today(now) : r.as_of;
    if (!IsIsoDate(as_of)) return InvalidArgumentError("bad as-of date '" + as_of + "'");
    const std::string from = e.state();
    if (!r.to_state.empty()) XUNCHA_RETURN_IF_ERROR(CheckTransition(from, r.to_state));
    const std::string to = r.to_state.empty() ? from : r.to_state;
    const std::string old_deadline = e.rectification().deadline();
    XUNCHA_RETURN_IF_ERROR(ApplyUpdate(r.update, &e));
    v1::Rectification* rect = e.mutable_rectification();
    auto missing = [&](std::string what_zh, std::string what_en) {
      return FailedPreconditionError("转为「" + std::string(LifecycleStateName(to)) + "」(" + to +
                                     ")需要" + what_zh + " / " + to + " requires " + what_en);
    };
    std::string kind = r.to_state.empty() ? "update" : "transition";
    if (!r.to_state.empty()) {
      if (to == "written_off") {
        if (r.note.empty()) return missing("销号理由(说明)", "a reason (note)");
        if (!r.update.basis.has_value() || r.update.basis->empty()) {
          return missing("销号依据", "its basis");
        }
        e.set_write_off_reason(r.note);
        e.set_write_off_basis(*r.update.basis);
        e.set_closed_at(now);
      } else if (to == "claimed") {
        if (rect->responsible_unit().empty() || rect->responsible_person().empty()) {
          return missing("责任单位/部门和责任人", "a responsible unit and a responsible person");
        }
      } else if (to == "in_progress") {
        if (from == "overdue") {
          if (!r.update.deadline.has_value() || *r.update.deadline <= old_deadline ||
              *r.update.deadline <= as_of) {
            return missing("晚于原时限和当前日期的新整改时限(延期)",
                           "a new deadline later than the old one and today (extension)");
          }
          if (r.note.empty()) return missing("延期理由(说明)", "the reason for extension (note)");
          rect->set_extension_reason(r.note);
          rect->set_extensions(rect->extensions() + 1);
          kind = "extension";
        } else if (rect->measures().empty() || rect->deadline().empty()) {
          return missing("整改措施和整改时限", "measures and a deadline");
        }
      } else if (to == "overdue") {
        if (rect->deadline().empty() || rect->deadline() >= as_of) {
          return missing("早于" + as_of + "的整改时限", "a deadline before " + as_of);
        }
      } else if (to == "submitted") {
        if (rect->evidence().empty()) return missing("佐证材料", "evidence (佐证材料)");
      } else if (to == "accepted") {
        if (rect->completed_on().empty()) rect->set_completed_on(Today(now));
      } else if (to == "closed") {
        e.set_closed_at(now);
      } else if (to == "transferred") {
        if (!IsTransferTarget(e.transfer_target())) {
          return missing("移交对象(discipline 纪检监察机关 / organization 组织部门)",
                         "a transfer target (discipline | organization)");
        }
      } else if (to == "feedback_received") {
        if (e.feedback().empty()) e.set_feedback(r.note);
        if (e.feedback().empty()) return missing("反馈内容", "the feedback");
      }
    }
    if (rect->original_deadline().empty() && !rect->deadline().empty()) {
      rect->set_original_deadline(rect->deadline());
    }
    e.set_state(to);
    e.set_updated_at(now);
    return Store(e, Event(kind, from, to, r.actor, r.note, now));
  }

  static Status ApplyUpdate(const EntryUpdate& u, v1::LedgerEntry* e) {
    v1::Rectification* r = e->mutable_rectification();
    auto set = [](const std::optional<std::string>& v, auto setter) {
      if (v.has_value()) setter(*v);
    };
    set(u.responsible_unit, [&](const std::string& v) { r->set_responsible_unit(v); });
    set(u.responsible_leader, [&](const std::string& v) { r->set_responsible_leader(v); });
    set(u.responsible_person, [&](const std::string& v) { r->set_responsible_person(v); });
    set(u.measures, [&](const std::string& v) { r->set_measures(v); });
    set(u.target, [&](const std::string& v) { r->set_target(v); });
    set(u.evidence, [&](const std::string& v) { r->set_evidence(v); });
    set(u.accountability, [&](const std::string& v) { r->set_accountability(v); });
    set(u.feedback, [&](const std::string& v) { e->set_feedback(v); });
    if (u.deadline.has_value()) {
      if (!IsIsoDate(*u.deadline)) {
        return InvalidArgumentError("整改时限「" + *u.deadline +
                                    "」不是有效日期(YYYY-MM-DD) / bad deadline '" +
                                    *u.deadline + "' (YYYY-MM-DD)");
      }
      r->set_deadline(*u.deadline);
    }
    if (u.completed_on.has_value()) {
      if (!IsIsoDate(*u.completed_on)) {
        return InvalidArgumentError("完成时间「" + *u.completed_on +
                                    "」不是有效日期 / bad completion date '" + *u.completed_on +
                                    "'");
      }
      r->set_completed_on(*u.completed_on);
    }
    if (u.transfer_target.has_value()) {
      if (!IsTransferTarget(*u.transfer_target)) {
        return InvalidArgumentError("未知移交对象「" + *u.transfer_target +
                                    "」 / unknown transfer target '" + *u.transfer_target + "'");
      }
      e->set_transfer_target(*u.transfer_target);
    }
    if (u.disclosure.has_value()) {
      if (!IsDisclosureLevel(*u.disclosure)) {
        return InvalidArgumentError("未知公开范围「" + *u.disclosure +
                                    "」 / unknown disclosure level '" + *u.disclosure +
                                    "' (public | internal | withheld)");
      }
      e->set_disclosure(*u.disclosure);
    }
    if (u.recovered_fen.has_value()) {
      if (*u.recovered_fen < 0) return InvalidArgumentError("negative recovered amount");
      r->mutable_recovered()->set_fen(*u.recovered_fen);
    }
    if (u.to_recover_fen.has_value()) {
      if (*u.to_recover_fen < 0) return InvalidArgumentError("negative amount to recover");
      r->mutable_to_recover()->set_fen(*u.to_recover_fen);
    }
    if (u.people_handled.has_value()) {
      if (*u.people_handled < 0) return InvalidArgumentError("negative people handled");
      r->set_people_handled(*u.people_handled);
    }
    for (const std::string& rule : u.rules_made) r->add_rules_made(rule);
    return Status::OK();
  }

  // Runs `body` in one write transaction.
  Status InTxn(const std::function<Status()>& body) {
    XUNCHA_RETURN_IF_ERROR(Begin());
    Status s = body();
    if (s.ok()) s = Commit();
    if (!s.ok()) Rollback();
    return s;
  }

  sqlite3* db_ = nullptr;
  Clock clock_;
  std::map<const char*, std::unique_ptr<Stmt>> stmts_;
};

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;

StatusOr<std::unique_ptr<Ledger>> Ledger::Open(const std::string& path,
                                               const LedgerOptions& options) {
  auto impl = std::make_unique<Impl>();
  XUNCHA_RETURN_IF_ERROR(impl->Open(path, options));
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

int Ledger::schema_version() const { return ledger_internal::UserVersion(impl_->db_); }

StatusOr<ImportStats> Ledger::Import(const std::vector<v1::ClassifiedFinding>& findings,
                                     const ImportOptions& options) {
  return impl_->Import(findings, options);
}

StatusOr<v1::LedgerEntry> Ledger::Get(std::string_view id) { return impl_->Get(id, true); }

Status Ledger::ForEach(const std::function<Status(const v1::LedgerEntry&)>& fn,
                       bool with_history) {
  return impl_->Scan("", "seq", nullptr, fn, with_history);
}

StatusOr<std::vector<v1::LedgerEntry>> Ledger::Entries(bool with_history) {
  std::vector<v1::LedgerEntry> out;
  XUNCHA_RETURN_IF_ERROR(ForEach(
      [&](const v1::LedgerEntry& e) {
        out.push_back(e);
        return Status::OK();
      },
      with_history));
  return out;
}

StatusOr<std::vector<v1::SkippedFinding>> Ledger::Skipped() {
  Stmt st;
  XUNCHA_RETURN_IF_ERROR(st.Prepare(impl_->db_,
                                    "SELECT finding_id, round, unit_id, reason FROM skipped "
                                    "ORDER BY round, finding_id"));
  std::vector<v1::SkippedFinding> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    v1::SkippedFinding s;
    s.set_finding_id(st.Text(0));
    s.set_round(st.Text(1));
    s.set_unit_id(st.Text(2));
    s.set_reason(st.Text(3));
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return SqlError(impl_->db_, "read skipped");
  return out;
}

StatusOr<int64_t> Ledger::Count() {
  Stmt st;
  XUNCHA_RETURN_IF_ERROR(st.Prepare(impl_->db_, "SELECT COUNT(*) FROM entries"));
  if (st.Step() != SQLITE_ROW) return SqlError(impl_->db_, "count");
  return st.Int(0);
}

Status Ledger::Transition(const TransitionRequest& request) {
  return impl_->InTxn([&] { return impl_->ApplyInTxn(request); });
}

StatusOr<std::vector<Status>> Ledger::ApplyAll(const std::vector<TransitionRequest>& requests) {
  std::vector<Status> results;
  Status s = impl_->InTxn([&]() -> Status {
    for (const TransitionRequest& r : requests) {
      XUNCHA_RETURN_IF_ERROR(Exec(impl_->db_, "SAVEPOINT row"));
      Status one = impl_->ApplyInTxn(r);
      if (!one.ok()) XUNCHA_RETURN_IF_ERROR(Exec(impl_->db_, "ROLLBACK TO row"));
      XUNCHA_RETURN_IF_ERROR(Exec(impl_->db_, "RELEASE row"));
      results.push_back(std::move(one));
    }
    return Status::OK();
  });
  XUNCHA_RETURN_IF_ERROR(s);
  return results;
}

Status Ledger::Explain(std::string_view id, std::string_view text,
                       const std::vector<v1::EvidenceRef>& evidence, std::string_view actor) {
  return impl_->InTxn([&]() -> Status {
    if (text.empty()) return InvalidArgumentError("说明不能为空 / the explanation is empty");
    if (actor.empty()) return InvalidArgumentError("需要填写操作人 / an actor is required");
    XUNCHA_ASSIGN_OR_RETURN(v1::LedgerEntry e, impl_->Get(id, false));
    if (e.state() != "verifying") {
      return FailedPreconditionError(
          "只能在「核实中」(verifying)提交说明，当前状态「" +
          std::string(LifecycleStateName(e.state())) + "」(" + e.state() +
          ") / an explanation is filed while verifying; the entry is " + e.state());
    }
    const std::string now = impl_->Now();
    v1::Explanation* x = e.add_explanations();
    x->set_text(std::string(text));
    for (const v1::EvidenceRef& ref : evidence) *x->add_evidence() = ref;
    x->set_actor(std::string(actor));
    x->set_at(now);
    e.set_updated_at(now);
    std::string note(text);
    for (const v1::EvidenceRef& ref : evidence) {
      note += "；佐证：" + (ref.id().empty() ? ref.description() : ref.id());
    }
    return impl_->Store(e, impl_->Event("explanation", e.state(), e.state(), actor, note, now));
  });
}

StatusOr<std::string> Ledger::Escalate(std::string_view id, std::string_view actor,
                                       std::string_view note) {
  std::string level;
  Status s = impl_->InTxn([&]() -> Status {
    if (actor.empty()) return InvalidArgumentError("需要填写操作人 / an actor is required");
    XUNCHA_ASSIGN_OR_RETURN(v1::LedgerEntry e, impl_->Get(id, false));
    if (e.state() != "overdue") {
      return FailedPreconditionError("只有「逾期」(overdue)问题可以督办升级，当前状态「" +
                                     std::string(LifecycleStateName(e.state())) + "」(" +
                                     e.state() + ") / only overdue entries escalate; the entry is " +
                                     e.state());
    }
    const auto& levels = EscalationLevels();
    size_t n = static_cast<size_t>(e.escalations_size());
    if (n >= levels.size()) {
      return FailedPreconditionError(
          "已到最高级别「问责」 / already escalated to the last level (accountability)");
    }
    const std::string now = impl_->Now();
    v1::Escalation* x = e.add_escalations();
    level = std::string(levels[n].id);
    x->set_level(level);
    x->set_actor(std::string(actor));
    x->set_at(now);
    x->set_note(std::string(note));
    e.set_updated_at(now);
    std::string text = std::string(levels[n].name) + "(" + level + ")";
    if (!note.empty()) text += "：" + std::string(note);
    return impl_->Store(e, impl_->Event("escalation", e.state(), e.state(), actor, text, now));
  });
  XUNCHA_RETURN_IF_ERROR(s);
  return level;
}

StatusOr<std::vector<std::string>> Ledger::MarkOverdue(std::string_view as_of,
                                                       std::string_view actor) {
  if (!IsIsoDate(as_of)) return InvalidArgumentError("bad as-of date '" + std::string(as_of) + "'");
  std::vector<std::string> ids;
  Status s = impl_->InTxn([&]() -> Status {
    std::vector<std::string> due;
    XUNCHA_RETURN_IF_ERROR(impl_->Scan(
        "state = 'in_progress' AND deadline <> '' AND deadline < ?1", "seq",
        [&](Stmt* st) { st->Bind(1, as_of); },
        [&](const v1::LedgerEntry& e) {
          due.push_back(e.id());
          return Status::OK();
        },
        false));
    for (const std::string& id : due) {
      TransitionRequest r;
      r.id = id;
      r.to_state = "overdue";
      r.actor = std::string(actor);
      r.as_of = std::string(as_of);
      r.note = "整改时限已过(截至" + std::string(as_of) + ")";
      XUNCHA_RETURN_IF_ERROR(impl_->ApplyInTxn(r));
      ids.push_back(id);
    }
    return Status::OK();
  });
  XUNCHA_RETURN_IF_ERROR(s);
  return ids;
}

StatusOr<std::vector<v1::LedgerEntry>> Ledger::Overdue(std::string_view as_of) {
  if (!IsIsoDate(as_of)) return InvalidArgumentError("bad as-of date '" + std::string(as_of) + "'");
  std::vector<v1::LedgerEntry> out;
  XUNCHA_RETURN_IF_ERROR(impl_->Scan(
      "state = 'overdue' OR (state = 'in_progress' AND deadline <> '' AND deadline < ?1)",
      "deadline, seq", [&](Stmt* st) { st->Bind(1, as_of); },
      [&](const v1::LedgerEntry& e) {
        out.push_back(e);
        return Status::OK();
      },
      true));
  return out;
}

StatusOr<std::vector<RecurringItem>> Ledger::Recurring() {
  // The latest earlier-round entry of the same unit, category, subcategory.
  std::map<std::string, std::pair<std::string, std::string>> earlier;  // id -> (id, round)
  {
    Stmt st;
    XUNCHA_RETURN_IF_ERROR(st.Prepare(
        impl_->db_,
        "SELECT e.id, p.id, p.round FROM entries e JOIN entries p "
        "ON p.unit_id = e.unit_id AND p.category = e.category "
        "AND p.subcategory = e.subcategory AND p.round < e.round "
        "WHERE e.unit_id <> '' AND e.subcategory <> '' ORDER BY e.seq, p.round, p.seq"));
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      earlier[st.Text(0)] = {st.Text(1), st.Text(2)};  // the last row wins: latest round
    }
    if (rc != SQLITE_DONE) return SqlError(impl_->db_, "recurrence");
  }
  std::vector<RecurringItem> out;
  XUNCHA_RETURN_IF_ERROR(ForEach([&](const v1::LedgerEntry& e) {
    auto it = earlier.find(e.id());
    if (it == earlier.end() && !e.recurrence()) return Status::OK();
    RecurringItem item;
    item.entry = e;
    if (it != earlier.end()) {
      item.earlier_id = it->second.first;
      item.earlier_round = it->second.second;
      item.reason = "earlier_round";
    } else {
      item.earlier_id = e.recurrence_of();
      item.reason = "tagged";
    }
    out.push_back(std::move(item));
    return Status::OK();
  }));
  return out;
}

}  // namespace xuncha
