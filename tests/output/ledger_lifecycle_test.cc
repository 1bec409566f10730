// The lifecycle transition table: every pair of states, valid and invalid.

#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "xuncha/ledger.h"
#include "xuncha/taxonomy.h"

namespace xuncha {
namespace {

// DOMAIN.md §4, written out independently of lifecycle.cc.
const std::map<std::string, std::set<std::string>>& Expected() {
  static const auto* m = new std::map<std::string, std::set<std::string>>{
      {"draft", {"verifying"}},
      {"verifying", {"confirmed", "written_off"}},
      {"written_off", {}},
      {"confirmed", {"claimed", "transferred"}},
      {"claimed", {"assigned"}},
      {"assigned", {"in_progress"}},
      {"in_progress", {"overdue", "submitted"}},
      {"overdue", {"in_progress", "submitted"}},
      {"submitted", {"accepted", "in_progress"}},
      {"accepted", {"closed"}},
      {"closed", {"reopened"}},
      {"reopened", {"assigned", "in_progress"}},
      {"transferred", {"feedback_received"}},
      {"feedback_received", {"closed"}},
  };
  return *m;
}

TEST(LedgerLifecycleTest, TableCoversEveryState) {
  EXPECT_EQ(Expected().size(), LifecycleStates().size());
  for (const TaxonomyEntry& s : LifecycleStates()) {
    EXPECT_EQ(Expected().count(std::string(s.id)), 1u) << s.id;
  }
}

TEST(LedgerLifecycleTest, EveryPairOfStates) {
  int valid = 0, invalid = 0;
  for (const TaxonomyEntry& from : LifecycleStates()) {
    const std::set<std::string>& allowed = Expected().at(std::string(from.id));
    std::set<std::string> listed(AllowedNextStates(from.id).begin(),
                                 AllowedNextStates(from.id).end());
    EXPECT_EQ(listed, allowed) << from.id;
    for (const TaxonomyEntry& to : LifecycleStates()) {
      Status s = CheckTransition(from.id, to.id);
      if (allowed.count(std::string(to.id)) > 0) {
        EXPECT_TRUE(s.ok()) << from.id << " -> " << to.id << ": " << s;
        ++valid;
        continue;
      }
      ++invalid;
      ASSERT_FALSE(s.ok()) << from.id << " -> " << to.id;
      EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
      const std::string& m = s.message();
      // Both states by id and by Chinese name, and every allowed next state.
      EXPECT_NE(m.find(std::string(from.id) + " -> " + std::string(to.id)), std::string::npos)
          << m;
      EXPECT_NE(m.find(std::string(from.name)), std::string::npos) << m;
      EXPECT_NE(m.find(std::string(to.name)), std::string::npos) << m;
      EXPECT_NE(m.find("不允许的状态转换"), std::string::npos) << m;
      for (const std::string& next : allowed) {
        EXPECT_NE(m.find(next), std::string::npos) << m;
        EXPECT_NE(m.find(std::string(LifecycleStateName(next))), std::string::npos) << m;
      }
      if (allowed.empty()) {
        EXPECT_NE(m.find("none (final state)"), std::string::npos) << m;
      }
    }
  }
  EXPECT_EQ(valid, 19);
  EXPECT_EQ(invalid, 14 * 14 - 19);
}

TEST(LedgerLifecycleTest, ExactMessage) {
  EXPECT_EQ(CheckTransition("verifying", "closed").message(),
            "不允许的状态转换：从「核实中」(verifying)到「已销号」(closed)；允许的下一状态："
            "「已销号(不成立)」(written_off)、「已确认」(confirmed) / transition not allowed: "
            "verifying -> closed; allowed next states: written_off, confirmed");
}

TEST(LedgerLifecycleTest, UnknownStates) {
  EXPECT_EQ(CheckTransition("draft", "done").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckTransition("nowhere", "draft").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(AllowedNextStates("nowhere").empty());
}

TEST(LedgerLifecycleTest, Disclosure) {
  EXPECT_TRUE(VisibleTo("public", "public"));
  EXPECT_FALSE(VisibleTo("internal", "public"));
  EXPECT_FALSE(VisibleTo("withheld", "public"));
  EXPECT_TRUE(VisibleTo("public", "internal"));
  EXPECT_TRUE(VisibleTo("internal", "internal"));
  EXPECT_TRUE(VisibleTo("", "internal"));
  EXPECT_FALSE(VisibleTo("withheld", "internal"));
  EXPECT_TRUE(VisibleTo("withheld", "withheld"));
  EXPECT_EQ(DisclosureName("public"), "社会公开");
}

TEST(LedgerLifecycleTest, Dates) {
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-13-01"));
  EXPECT_FALSE(IsIsoDate("2023-1-01"));
  EXPECT_EQ(FormatUtc(FixedClock("2026-11-27T22:49:05Z")()), "2026-11-27T22:49:05Z");
}

}  // namespace
}  // namespace xuncha
