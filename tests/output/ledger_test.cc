// The SQLite ledger: import, lifecycle with guards, explanations,
// escalation, overdue, recurrence, bulk changes, history, migration and
// crash safety.

#include "xuncha/ledger.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include <gtest/gtest.h>

#include "output/ledger_testutil.h"
#include "output/sqlite_util.h"

namespace xuncha {
namespace {

using ::xuncha::testing::Problem;
using ::xuncha::testing::TempDir;

std::unique_ptr<Ledger> OpenAt(const std::string& path, const char* now = "2024-06-01T09:00:00Z") {
  LedgerOptions o;
  o.clock = FixedClock(now);
  auto l = Ledger::Open(path, o);
  EXPECT_TRUE(l.ok()) << l.status();
  return std::move(l).value();
}

std::vector<v1::ClassifiedFinding> Sample() {
  std::vector<v1::ClassifiedFinding> v;
  v.push_back(Problem("F1", "A", "A公司检修分部", "2024-R1", "bidding", "split_to_evade",
                      "道路修补拆成三份合同，合计约520万元，均未招标。", 520000000));
  v.push_back(Problem("F2", "B", "B分公司", "2024-R1", "eight_point", "vehicle",
                      "副总经理周末用公务车接送家属。"));
  v.push_back(Problem("F3", "K", "K公司", "2024-R1", "personnel", "nepotism",
                      "总经理外甥经定向招聘进入财务部。", 0, "transfer_lead"));
  v1::ClassifiedFinding none = Problem("F4", "N", "N公司", "2024-R1", "procurement",
                                       "inquiry_comparison_irregular", "均已按规定询比价。");
  none.mutable_classification()->set_disposition("none");
  v.push_back(none);
  v1::ClassifiedFinding unc = Problem("F5", "R", "R公司", "2024-R1", "", "", "情况说明。");
  unc.mutable_classification()->set_classified(false);
  v.push_back(unc);
  return v;
}

TEST(LedgerTest, ImportSkipsNonProblemsAndIsIdempotent) {
  TempDir dir;
  auto l = OpenAt(dir.File("l.db"));
  EXPECT_EQ(l->schema_version(), Ledger::kSchemaVersion);
  auto stats = l->Import(Sample());
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->added, 3);
  EXPECT_EQ(stats->unclassified, 1);
  EXPECT_EQ(stats->disposition_none, 1);
  EXPECT_EQ(stats->duplicates, 0);
  auto again = l->Import(Sample());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->duplicates, 3);
  EXPECT_EQ(*l->Count(), 3);
  auto skipped = l->Skipped();
  ASSERT_TRUE(skipped.ok());
  ASSERT_EQ(skipped->size(), 2u);
  EXPECT_EQ((*skipped)[0].finding_id(), "F4");
  EXPECT_EQ((*skipped)[0].reason(), "disposition_none");
  EXPECT_EQ((*skipped)[1].reason(), "unclassified");

  auto e = l->Get("F1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->seq(), 1);
  EXPECT_EQ(e->state(), "draft");
  EXPECT_EQ(e->disclosure(), "internal");
  ASSERT_EQ(e->history_size(), 1);
  EXPECT_EQ(e->history(0).kind(), "import");
  EXPECT_EQ(e->history(0).at(), "2024-06-01T09:00:00Z");
  EXPECT_EQ(l->Get("F3")->disclosure(), "withheld");  // a lead
  EXPECT_EQ(l->Get("F4").status().code(), StatusCode::kNotFound);
}

TransitionRequest To(const std::string& id, const std::string& state,
                     const std::string& note = "") {
  TransitionRequest r;
  r.id = id;
  r.to_state = state;
  r.actor = "第三巡察组";
  r.note = note;
  return r;
}

TEST(LedgerTest, FullRectificationLifecycleWithGuards) {
  TempDir dir;
  auto l = OpenAt(dir.File("l.db"));
  ASSERT_TRUE(l->Import(Sample()).ok());
  // Invalid: straight to closed.
  Status s = l->Transition(To("F1", "closed"));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("draft -> closed"), std::string::npos) << s;

  ASSERT_TRUE(l->Transition(To("F1", "verifying")).ok());
  ASSERT_TRUE(l->Explain("F1", "三份合同属不同年度预算", {}, "A公司").ok());
  ASSERT_TRUE(l->Transition(To("F1", "confirmed")).ok());
  // Claimed needs unit and person.
  s = l->Transition(To("F1", "claimed"));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("responsible unit"), std::string::npos) << s;
  TransitionRequest claim = To("F1", "claimed");
  claim.update.responsible_unit = "A公司党委";
  claim.update.responsible_person = "王五";
  claim.update.responsible_leader = "赵六";
  ASSERT_TRUE(l->Transition(claim).ok());
  ASSERT_TRUE(l->Transition(To("F1", "assigned")).ok());
  s = l->Transition(To("F1", "in_progress"));
  EXPECT_NE(s.message().find("measures and a deadline"), std::string::npos) << s;
  TransitionRequest work = To("F1", "in_progress");
  work.update.measures = "修订招标管理办法";
  work.update.deadline = "2024-05-31";
  ASSERT_TRUE(l->Transition(work).ok());
  s = l->Transition(To("F1", "submitted"));
  EXPECT_NE(s.message().find("evidence"), std::string::npos) << s;
  TransitionRequest submit = To("F1", "submitted");
  submit.update.evidence = "新办法文件";
  submit.update.recovered_fen = 150000;
  submit.update.rules_made = {"招标管理办法(2024修订)"};
  ASSERT_TRUE(l->Transition(submit).ok());
  ASSERT_TRUE(l->Transition(To("F1", "accepted")).ok());
  ASSERT_TRUE(l->Transition(To("F1", "closed")).ok());
  auto e = l->Get("F1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->state(), "closed");
  EXPECT_EQ(e->rectification().completed_on(), "2024-06-01");
  EXPECT_EQ(e->closed_at(), "2024-06-01T09:00:00Z");
  EXPECT_EQ(e->rectification().recovered().fen(), 150000);
  ASSERT_EQ(e->explanations_size(), 1);
  EXPECT_EQ(e->explanations(0).text(), "三份合同属不同年度预算");
  // import + verifying + explanation + 7 transitions; refusals leave no trace.
  ASSERT_EQ(e->history_size(), 10);
  EXPECT_EQ(e->history(2).kind(), "explanation");
  EXPECT_EQ(e->history(9).from_state(), "accepted");
  EXPECT_EQ(e->history(9).to_state(), "closed");
  for (int i = 0; i < e->history_size(); ++i) EXPECT_EQ(e->history(i).seq(), i + 1);
  // Explanations only while verifying.
  EXPECT_EQ(l->Explain("F1", "x", {}, "A").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(l->Transition(To("F1", "reopened", "回头看发现反弹")).ok());
  EXPECT_EQ(l->Get("F1")->state(), "reopened");
}

TEST(LedgerTest, WriteOffNeedsReasonAndBasis) {
  TempDir dir;
  auto l = OpenAt(dir.File("l.db"));
  ASSERT_TRUE(l->Import(Sample()).ok());
  ASSERT_TRUE(l->Transition(To("F2", "verifying")).ok());
  Status s = l->Transition(To("F2", "written_off"));
  EXPECT_NE(s.message().find("a reason"), std::string::npos) << s;
  s = l->Transition(To("F2", "written_off", "系公务接待用车"));
  EXPECT_NE(s.message().find("its basis"), std::string::npos) << s;
  TransitionRequest r = To("F2", "written_off", "系公务接待用车");
  r.update.basis = "派车单2024-031";
  ASSERT_TRUE(l->Transition(r).ok());
  auto e = l->Get("F2");
  EXPECT_EQ(e->write_off_reason(), "系公务接待用车");
  EXPECT_EQ(e->write_off_basis(), "派车单2024-031");
  EXPECT_EQ(e->closed_at(), "2024-06-01T09:00:00Z");
  s = l->Transition(To("F2", "verifying"));
  EXPECT_NE(s.message().find("none (final state)"), std::string::npos) << s;
}

TEST(LedgerTest, LeadTrack) {
  TempDir dir;
  auto l = OpenAt(dir.File("l.db"));
  ASSERT_TRUE(l->Import(Sample()).ok());
  { Status s0 = l->Transition(To("F3", "verifying")); ASSERT_TRUE(s0.ok()) << s0; }
  ASSERT_TRUE(l->Transition(To("F3", "confirmed")).ok());
  ASSERT_TRUE(l->Transition(To("F3", "transferred")).ok());  // target from classification
  EXPECT_EQ(l->Transition(To("F3", "feedback_received")).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(l->Transition(To("F3", "feedback_received", "已立案审查")).ok());
  ASSERT_TRUE(l->Transition(To("F3", "closed")).ok());
  EXPECT_EQ(l->Get("F3")->feedback(), "已立案审查");
}

// Moves F1 to in_progress with the given deadline.
void ToInProgress(Ledger* l, const std::string& id, const std::string& deadline) {
  for (const char* s : {"verifying", "confirmed"}) ASSERT_TRUE(l->Transition(To(id, s)).ok());
  TransitionRequest claim = To(id, "claimed");
  claim.update.responsible_unit = "A公司";
  claim.update.responsible_person = "王五";
  ASSERT_TRUE(l->Transition(claim).ok());
  ASSERT_TRUE(l->Transition(To(id, "assigned")).ok());
  TransitionRequest work = To(id, "in_progress");
  work.update.measures = "整改";
  work.update.deadline = deadline;
  ASSERT_TRUE(l->Transition(work).ok());
}

TEST(LedgerTest, OverdueEscalationAndExtension) {
  TempDir dir;
  auto l = OpenAt(dir.File("l.db"));
  ASSERT_TRUE(l->Import(Sample()).ok());
  ToInProgress(l.get(), "F1", "2024-03-31");
  ToInProgress(l.get(), "F2", "2024-12-31");
  auto listed = l->Overdue("2024-04-15");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id(), "F1");
  // Not overdue yet as of its deadline.
  EXPECT_EQ(l->Transition(To("F2", "overdue")).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(l->Escalate("F1", "巡察办", "").status().code(), StatusCode::kFailedPrecondition);
  auto marked = l->MarkOverdue("2024-04-15", "system");
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(*marked, std::vector<std::string>{"F1"});
  EXPECT_EQ(l->Get("F1")->state(), "overdue");
  std::vector<std::string> levels;
  for (int i = 0; i < 4; ++i) {
    auto lv = l->Escalate("F1", "巡察办", "第" + std::to_string(i + 1) + "次");
    ASSERT_TRUE(lv.ok()) << lv.status();
    levels.push_back(*lv);
  }
  EXPECT_EQ(levels, (std::vector<std::string>{"supervise", "remind", "warn", "accountability"}));
  EXPECT_EQ(l->Escalate("F1", "巡察办", "").status().code(), StatusCode::kFailedPrecondition);
  // Extension: needs a later deadline and a reason.
  TransitionRequest ext = To("F1", "in_progress");
  ext.update.deadline = "2024-03-01";
  EXPECT_EQ(l->Transition(ext).code(), StatusCode::kFailedPrecondition);
  ext.update.deadline = "2024-09-30";
  EXPECT_EQ(l->Transition(ext).code(), StatusCode::kFailedPrecondition);  // no reason
  ext.note = "涉及诉讼，需等待判决";
  ASSERT_TRUE(l->Transition(ext).ok());
  auto e = l->Get("F1");
  EXPECT_EQ(e->rectification().deadline(), "2024-09-30");
  EXPECT_EQ(e->rectification().original_deadline(), "2024-03-31");
  EXPECT_EQ(e->rectification().extensions(), 1);
  EXPECT_EQ(e->escalations_size(), 4);
  EXPECT_EQ(e->history(e->history_size() - 1).kind(), "extension");
}

TEST(LedgerTest, ApplyAllAppliesValidRowsInOneTransaction) {
  TempDir dir;
  auto l = OpenAt(dir.File("l.db"));
  ASSERT_TRUE(l->Import(Sample()).ok());
  std::vector<TransitionRequest> rows = {To("F1", "verifying"), To("F1", "confirmed"),
                                         To("F2", "closed"), To("NOPE", "verifying"),
                                         To("F2", "verifying")};
  auto results = l->ApplyAll(rows);
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 5u);
  EXPECT_TRUE((*results)[0].ok());
  EXPECT_TRUE((*results)[1].ok());
  EXPECT_EQ((*results)[2].code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ((*results)[3].code(), StatusCode::kNotFound);
  EXPECT_TRUE((*results)[4].ok());
  EXPECT_EQ(l->Get("F1")->state(), "confirmed");
  EXPECT_EQ(l->Get("F2")->state(), "verifying");
  EXPECT_EQ(l->Get("F2")->history_size(), 2);
}

TEST(LedgerTest, HistoryIsAppendOnly) {
  TempDir dir;
  auto l = OpenAt(dir.File("l.db"));
  ASSERT_TRUE(l->Import(Sample()).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.File("l.db").c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE events SET note = 'x'", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM events", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(l->Get("F1")->history_size(), 1);
}

TEST(LedgerTest, RecurringAcrossRoundsAndTagged) {
  TempDir dir;
  auto l = OpenAt(dir.File("l.db"));
  std::vector<v1::ClassifiedFinding> v;
  v.push_back(Problem("R1-1", "S", "S公司", "2023-R2", "eight_point", "vehicle", "加油卡管理混乱"));
  v.push_back(Problem("R2-1", "S", "S公司", "2024-R1", "eight_point", "vehicle", "加油卡仍混乱"));
  v.push_back(Problem("R2-2", "T", "T公司", "2024-R1", "eight_point", "vehicle", "公车私用"));
  auto tagged = Problem("R2-3", "U", "U公司", "2024-R1", "finance", "slush_fund", "小金库");
  tagged.mutable_classification()->add_tags("recurrence");
  v.push_back(tagged);
  ASSERT_TRUE(l->Import(v).ok());
  auto rec = l->Recurring();
  ASSERT_TRUE(rec.ok());
  ASSERT_EQ(rec->size(), 2u);
  EXPECT_EQ((*rec)[0].entry.id(), "R2-1");
  EXPECT_EQ((*rec)[0].earlier_id, "R1-1");
  EXPECT_EQ((*rec)[0].earlier_round, "2023-R2");
  EXPECT_EQ((*rec)[0].reason, "earlier_round");
  EXPECT_EQ((*rec)[1].entry.id(), "R2-3");
  EXPECT_EQ((*rec)[1].reason, "tagged");
}

TEST(LedgerTest, UpdateWithoutStateChangeAndBadValues) {
  TempDir dir;
  auto l = OpenAt(dir.File("l.db"));
  ASSERT_TRUE(l->Import(Sample()).ok());
  TransitionRequest r = To("F1", "");
  r.update.disclosure = "public";
  ASSERT_TRUE(l->Transition(r).ok());
  auto e = l->Get("F1");
  EXPECT_EQ(e->disclosure(), "public");
  EXPECT_EQ(e->history(1).kind(), "update");
  r.update.disclosure = "everyone";
  EXPECT_EQ(l->Transition(r).code(), StatusCode::kInvalidArgument);
  TransitionRequest d = To("F1", "");
  d.update.deadline = "2024-02-30";
  EXPECT_EQ(l->Transition(d).code(), StatusCode::kInvalidArgument);
  TransitionRequest noactor = To("F1", "verifying");
  noactor.actor.clear();
  EXPECT_EQ(l->Transition(noactor).code(), StatusCode::kInvalidArgument);
}

// A version 1 file (written by the first schema step alone) opens, migrates
// to version 2 and keeps its data.
TEST(LedgerMigrationTest, V1ToV2) {
  TempDir dir;
  std::string path = dir.File("v1.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_TRUE(ledger_internal::MigrateTo(db, 1).ok());
    EXPECT_EQ(ledger_internal::UserVersion(db), 1);
    v1::LedgerEntry e;
    e.set_id("OLD-1");
    e.set_seq(1);
    e.set_state("in_progress");
    e.mutable_finding()->set_text("旧台账问题");
    e.mutable_rectification()->set_deadline("2023-01-31");
    std::string blob = e.SerializeAsString();
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "INSERT INTO entries(id, seq, round, unit_id, category, "
                                 "subcategory, state, deadline, data) VALUES('OLD-1', 1, "
                                 "'2023-R1', 'A', 'finance', 'slush_fund', 'in_progress', "
                                 "'2023-01-31', ?)",
                                 -1, &st, nullptr),
              SQLITE_OK);
    sqlite3_bind_blob(st, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    ASSERT_EQ(sqlite3_exec(db,
                           "INSERT INTO events VALUES('OLD-1', 1, 'import', '', 'draft', 'x', "
                           "'2023-01-01T00:00:00Z', '')",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    // Version 1 had no append-only triggers.
    EXPECT_EQ(sqlite3_exec(db, "UPDATE events SET note = ''", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto l = OpenAt(path);
  EXPECT_EQ(l->schema_version(), 2);
  auto e = l->Get("OLD-1");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->disclosure(), "internal");
  EXPECT_EQ(e->finding().text(), "旧台账问题");
  EXPECT_EQ(e->history_size(), 1);
  auto overdue = l->Overdue("2023-03-01");
  ASSERT_TRUE(overdue.ok());
  EXPECT_EQ(overdue->size(), 1u);
  EXPECT_TRUE(l->Skipped().ok());  // the v2 table exists
  ASSERT_TRUE(l->Import(Sample()).ok());
  EXPECT_EQ(l->Get("F1")->seq(), 2);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM events", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST(LedgerMigrationTest, RefusesNewerSchema) {
  TempDir dir;
  std::string path = dir.File("new.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto l = Ledger::Open(path);
  EXPECT_EQ(l.status().code(), StatusCode::kFailedPrecondition);
}

// A child imports a big batch and is SIGKILLed mid-import; the file is
// intact and holds exactly a prefix of whole batches.
TEST(LedgerCrashTest, KilledImportLeavesWholeBatches) {
  TempDir dir;
  const std::string path = dir.File("crash.db");
  constexpr int kTotal = 200000;
  constexpr int kBatch = 4000;
  char id[32];
  auto id_of = [&](int i) {
    std::snprintf(id, sizeof id, "C%07d", i);
    return std::string(id);
  };
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::vector<v1::ClassifiedFinding> v;
    v.reserve(kTotal);
    for (int i = 0; i < kTotal; ++i) {
      v.push_back(Problem(id_of(i), "U" + std::to_string(i % 50), "单位", "2024-R1", "finance",
                          "false_expenses", "虚列费用套取资金用于发放福利。", 100 * i));
    }
    auto l = Ledger::Open(path);
    if (!l.ok()) _exit(3);
    ImportOptions o;
    o.batch_size = kBatch;
    auto s = (*l)->Import(v, o);
    _exit(s.ok() ? 0 : 4);
  }
  // Wait until at least one batch is committed (WAL: we read while it
  // writes), then let it get into the middle of another and kill it.
  int64_t seen = 0;
  for (int i = 0; i < 3000 && seen == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(db, 1000);
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM entries", -1, &st, nullptr) ==
              SQLITE_OK &&
          sqlite3_step(st) == SQLITE_ROW) {
        seen = sqlite3_column_int64(st, 0);
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(37));
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "the import finished before it was killed";
  ASSERT_GT(seen, 0);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
  sqlite3_finalize(st);
  sqlite3_close(db);

  auto l = Ledger::Open(path);
  ASSERT_TRUE(l.ok()) << l.status();
  int64_t n = *(*l)->Count();
  EXPECT_GE(n, seen);
  EXPECT_LT(n, kTotal);
  EXPECT_EQ(n % kBatch, 0) << n;
  int64_t i = 0;
  Status s = (*l)->ForEach([&](const v1::LedgerEntry& e) {
    EXPECT_EQ(e.seq(), i + 1);
    EXPECT_EQ(e.id(), id_of(static_cast<int>(i)));
    ++i;
    return Status::OK();
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(i, n);
  // Events match entries one for one.
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM events", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(st, 0), n);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

}  // namespace
}  // namespace xuncha

namespace xuncha {
namespace {

// Every pair of states through the whole stack: an entry is put in each
// state (by SQL, test only), then moved to each state with every guard's
// data supplied. Valid pairs succeed and are recorded; invalid ones are
// refused and change nothing.
TEST(LedgerLifecycleTest, EveryPairThroughTheLedger) {
  TempDir dir;
  const std::string path = dir.File("pairs.db");
  auto l = OpenAt(path);
  std::vector<v1::ClassifiedFinding> v;
  const auto& states = LifecycleStates();
  for (const TaxonomyEntry& from : states) {
    for (const TaxonomyEntry& to : states) {
      v.push_back(Problem(std::string(from.id) + ">" + std::string(to.id), "A", "A公司",
                          "2024-R1", "bidding", "split_to_evade", "问题", 0, "transfer_lead"));
    }
  }
  ASSERT_TRUE(l->Import(v).ok());
  for (const v1::ClassifiedFinding& cf : v) {
    TransitionRequest d;
    d.id = cf.finding().id();
    d.actor = "test";
    d.update.deadline = "2024-01-01";
    ASSERT_TRUE(l->Transition(d).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE entries SET state = substr(id, 1, instr(id, '>') - 1)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  int ok = 0, refused = 0;
  for (const TaxonomyEntry& from : states) {
    for (const TaxonomyEntry& to : states) {
      TransitionRequest r;
      r.id = std::string(from.id) + ">" + std::string(to.id);
      r.to_state = std::string(to.id);
      r.actor = "test";
      r.note = "说明";
      r.as_of = "2024-06-01";
      r.update.basis = "依据";
      r.update.responsible_unit = "A公司";
      r.update.responsible_person = "王五";
      r.update.measures = "措施";
      r.update.evidence = "佐证";
      r.update.transfer_target = "discipline";
      if (to.id != "overdue") r.update.deadline = "2024-12-31";
      Status s = l->Transition(r);
      auto e = l->Get(r.id);
      ASSERT_TRUE(e.ok());
      if (CheckTransition(from.id, to.id).ok()) {
        EXPECT_TRUE(s.ok()) << r.id << ": " << s;
        EXPECT_EQ(e->state(), to.id) << r.id;
        EXPECT_EQ(e->history(e->history_size() - 1).to_state(), to.id);
        ++ok;
      } else {
        EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << r.id;
        EXPECT_EQ(e->state(), from.id) << r.id;
        EXPECT_EQ(e->history_size(), 2) << r.id;  // import + deadline update
        ++refused;
      }
    }
  }
  EXPECT_EQ(ok, 19);
  EXPECT_EQ(refused, 196 - 19);
}

}  // namespace
}  // namespace xuncha
