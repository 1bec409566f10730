#include "xuncha/reconcile.h"

#include <google/protobuf/util/json_util.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "patterns/test_util.h"

namespace xuncha {
namespace {

using ::testing::ElementsAre;
using testing::F;

// Lines of ClassifiedFinding, or of bare Finding.
std::vector<v1::ClassifiedFinding> ReadJsonl(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<v1::ClassifiedFinding> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    v1::ClassifiedFinding cf;
    if (!google::protobuf::util::JsonStringToMessage(line, &cf).ok()) {
      cf.Clear();
      auto s = google::protobuf::util::JsonStringToMessage(line, cf.mutable_finding());
      EXPECT_TRUE(s.ok()) << path << ":" << n << ": " << s.ToString();
    }
    out.push_back(cf);
  }
  return out;
}

std::string Data(const std::string& name) {
  return std::string(XUNCHA_SOURCE_DIR) + "/tests/testdata/reconcile/" + name;
}

TEST(ReconcileEvalTest, PrecisionAndRecallOnKnownAlignment) {
  std::vector<v1::ClassifiedFinding> inspectors = ReadJsonl(Data("inspectors.jsonl"));
  std::vector<v1::ClassifiedFinding> unit = ReadJsonl(Data("unit.jsonl"));
  ASSERT_EQ(inspectors.size(), 22u);
  ASSERT_EQ(unit.size(), 20u);
  std::set<std::pair<std::string, std::string>> truth;
  std::ifstream t(Data("truth.tsv"));
  std::string line;
  while (std::getline(t, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string a, b;
    fields >> a >> b;
    truth.insert({a, b});
  }
  ASSERT_EQ(truth.size(), 16u);

  StatusOr<v1::Reconciliation> r = Reconcile(inspectors, unit);
  ASSERT_TRUE(r.ok()) << r.status();
  int correct = 0;
  for (const v1::ReconcileMatch& m : r->matches()) {
    bool ok = truth.count({m.inspector_finding_id(), m.unit_finding_id()}) > 0;
    correct += ok;
    if (!ok) {
      ADD_FAILURE() << "wrong pair " << m.inspector_finding_id() << "-" << m.unit_finding_id()
                    << " " << m.confidence();
    }
  }
  for (const auto& [a, b] : truth) {
    bool found = false;
    for (const auto& m : r->matches()) found = found || (m.inspector_finding_id() == a && m.unit_finding_id() == b);
    if (!found) std::cout << "missed " << a << "-" << b << "\n";
  }
  const double precision = r->matches_size() ? static_cast<double>(correct) / r->matches_size() : 0;
  const double recall = static_cast<double>(correct) / truth.size();
  std::cout << "reconcile: " << r->matches_size() << " matches, precision " << precision
            << ", recall " << recall << "\n";
  RecordProperty("precision", std::to_string(precision));
  RecordProperty("recall", std::to_string(recall));
  EXPECT_GE(precision, 0.9);
  EXPECT_GE(recall, 0.85);

  // Category disagreements of the true pairs are on the agenda.
  std::set<std::string> disagreeing;
  for (const auto& m : r->category_disagreements()) disagreeing.insert(m.inspector_finding_id());
  EXPECT_TRUE(disagreeing.count("I02")) << "bidding vs project_mgmt";
  EXPECT_TRUE(disagreeing.count("I14")) << "payroll vs finance";
  int agenda_only = 0;
  for (const auto& a : r->agenda()) agenda_only += a.kind() == "inspector_only" || a.kind() == "unit_only";
  EXPECT_EQ(agenda_only, r->inspector_only_size() + r->unit_only_size());
}

TEST(ReconcileTest, SameUnitOnlyAndOneToOne) {
  std::vector<v1::ClassifiedFinding> x = {
      F("i1", "U1").Text("公务用车未执行派车单制度").Category("eight_point", "vehicle"),
      F("i2", "U1").Text("公务用车未执行派车单制度，登记不全").Category("eight_point", "vehicle"),
  };
  std::vector<v1::ClassifiedFinding> y = {
      F("s1", "U1").Text("公务用车未执行派车单制度，登记不全").Category("eight_point", "vehicle"),
      F("s2", "U2").Text("公务用车未执行派车单制度").Category("eight_point", "vehicle"),
  };
  StatusOr<v1::Reconciliation> r = Reconcile(x, y);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->matches_size(), 1);
  EXPECT_EQ(r->matches(0).inspector_finding_id(), "i2");  // the better pair wins
  EXPECT_EQ(r->matches(0).unit_finding_id(), "s1");
  EXPECT_THAT(r->matches(0).reasons(), ElementsAre("text_similar 文字相近", "same_subcategory 子类一致"));
  EXPECT_THAT(r->inspector_only(), ElementsAre("i1"));
  EXPECT_THAT(r->unit_only(), ElementsAre("s2"));  // other unit: never paired
}

TEST(ReconcileTest, AmountsCounterpartiesAndDisagreement) {
  std::vector<v1::ClassifiedFinding> x = {F("i1", "U1")
                                              .Text("多付监理费")
                                              .Yuan(32000)
                                              .Counterparty("华信建设有限公司")
                                              .Category("finance", "accounting_inaccurate")};
  std::vector<v1::ClassifiedFinding> y = {F("s1", "U1")
                                              .Text("监理费结算有误已追回")
                                              .Yuan(32000)
                                              .Counterparty("华信建设（集团）有限公司")
                                              .Category("project_mgmt", "payment")};
  StatusOr<v1::Reconciliation> r = Reconcile(x, y);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->matches_size(), 1);
  const auto& m = r->matches(0);
  EXPECT_THAT(m.reasons(), ::testing::Contains("same_amount 金额一致"));
  EXPECT_THAT(m.reasons(), ::testing::Contains("shared_counterparty 涉及同一相对方"));
  EXPECT_TRUE(m.category_disagrees());
  ASSERT_EQ(r->agenda_size(), 1);
  EXPECT_EQ(r->agenda(0).kind(), "category_disagrees");
  EXPECT_EQ(r->agenda(0).note(), "定性不一致：巡察组认定为财务/财经纪律/核算不实，单位认定为工程项目管理/工程款支付");
}

TEST(ReconcileTest, RejectsRepeatedIds) {
  std::vector<v1::ClassifiedFinding> x = {F("i1", "U1"), F("i1", "U1")};
  EXPECT_EQ(Reconcile(x, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace xuncha
