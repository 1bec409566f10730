// Ledger exports: CSV bytes, masking, disclosure filtering, data exports and
// the CLI end to end (import, bulk transitions, export) against a golden.

#include "xuncha/ledger_export.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>

#include "output/ledger_testutil.h"

namespace xuncha {
namespace {

using ::xuncha::testing::Problem;
using ::xuncha::testing::TempDir;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

v1::LedgerEntry Entry() {
  v1::ClassifiedFinding cf =
      Problem("F-1", "A", "A公司", "2024-R1", "bidding", "split_to_evade",
              "拆成三份合同，\"合计\"约520万元，\n均未招标。", 520000005);
  cf.mutable_classification()->add_basis()->set_regulation("招标投标法实施条例");
  cf.mutable_classification()->mutable_basis(0)->set_version("2019");
  cf.mutable_classification()->mutable_basis(0)->set_article("第二十四条");
  v1::LedgerEntry e = MakeEntry(cf, 1, ImportOptions(), "2024-06-01T09:00:00Z");
  e.mutable_rectification()->set_responsible_unit("A公司党委");
  e.mutable_rectification()->set_responsible_person("王小五");
  e.mutable_rectification()->set_deadline("2024-08-31");
  e.mutable_rectification()->mutable_recovered()->set_fen(150000);
  e.mutable_rectification()->add_rules_made("招标管理办法");
  e.mutable_rectification()->add_rules_made("合同管理细则");
  e.set_state("in_progress");
  return e;
}

TEST(LedgerExportTest, CsvBytesExact) {
  std::string csv = LedgerCsv({Entry()});
  std::string expected =
      "\xEF\xBB\xBF"
      "\"序号\",\"问题编号\",\"来源\",\"轮次\",\"被巡察单位\",\"问题类别\",\"问题子类\","
      "\"问题描述\",\"涉及金额(元)\",\"定性(纪律)\",\"性质\",\"依据\",\"处置方式\",\"移交对象\","
      "\"责任单位/部门\",\"责任领导\",\"责任人\",\"整改措施\",\"整改目标/验收标准\",\"整改时限\","
      "\"整改状态\",\"完成时间\",\"佐证材料\",\"清退/追缴金额(元)\",\"问责情况\",\"建章立制\","
      "\"销号时间\",\"公开范围\",\"备注\"\r\n"
      "\"1\",\"F-1\",\"巡察\",\"2024-R1\",\"A公司\",\"工程招投标\","
      "\"化整为零/肢解发包/拆分标段规避\",\"拆成三份合同，\"\"合计\"\"约520万元，\n均未招标。\","
      "\"5200000.05\",\"工作纪律\",\"一般性问题\",\"招标投标法实施条例（2019）第二十四条\","
      "\"限期整改\",\"\",\"A公司党委\",\"\",\"王小五\",\"\",\"\",\"2024-08-31\",\"整改中\",\"\","
      "\"\",\"1500.00\",\"\",\"招标管理办法；合同管理细则\",\"\",\"党内\",\"\"\r\n";
  EXPECT_EQ(csv, expected);
  EXPECT_EQ(LedgerColumns().size(), 29u);
}

TEST(LedgerExportTest, FormatYuan) {
  EXPECT_EQ(FormatYuan(0), "0.00");
  EXPECT_EQ(FormatYuan(5), "0.05");
  EXPECT_EQ(FormatYuan(520000000), "5200000.00");
  EXPECT_EQ(FormatYuan(-305), "-3.05");
  EXPECT_EQ(FormatYuan(INT64_MIN), "-92233720368547758.08");
}

TEST(LedgerExportTest, AudienceFilters) {
  v1::LedgerEntry pub = Entry(), internal = Entry(), withheld = Entry();
  pub.set_id("P");
  pub.set_disclosure("public");
  internal.set_id("I");
  withheld.set_id("W");
  withheld.set_disclosure("withheld");
  auto ids = [&](std::string audience) {
    ExportOptions o;
    o.audience = audience;
    std::string csv = LedgerCsv({pub, internal, withheld}, o);
    std::string out;
    for (const char* id : {"P", "I", "W"}) {
      if (csv.find(std::string(",\"") + id + "\",") != std::string::npos) out += id;
    }
    return out;
  };
  EXPECT_EQ(ids("public"), "P");
  EXPECT_EQ(ids("internal"), "PI");
  EXPECT_EQ(ids("withheld"), "PIW");
}

TEST(LedgerExportTest, MaskText) {
  EXPECT_EQ(MaskName("张三"), "张**");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧**");
  EXPECT_EQ(MaskText("身份证号110101198001011234，手机13812345678。"),
            "身份证号110***********1234，手机138****5678。");
  EXPECT_EQ(MaskText("证号11010119800101123X"), "证号110***********123X");
  // Inside longer digit runs: not an ID or a mobile.
  EXPECT_EQ(MaskText("合同号1381234567890"), "合同号1381234567890");
  EXPECT_EQ(MaskText("账号21101011980010112345"), "账号21101011980010112345");
  EXPECT_EQ(MaskText("员工张某某与李X、王某、欧阳某某"), "员工张**与李**、王**、欧阳**");
  // Organisations and dates are not people.
  EXPECT_EQ(MaskText("向某公司支付；于X年"), "向某公司支付；于X年");
  EXPECT_EQ(MaskText("赵大宝收受礼金", {"赵大宝"}), "赵**收受礼金");
}

TEST(LedgerExportTest, MaskedRow) {
  v1::LedgerEntry e = Entry();
  e.mutable_finding()->set_text("张某某手机13812345678，赵大宝经办");
  v1::Counterparty* c = e.mutable_finding()->add_counterparties();
  c->set_name("赵大宝");
  c->set_kind(v1::COUNTERPARTY_KIND_PERSON);
  ExportOptions o;
  o.mask_personal_data = true;
  std::vector<std::string> row = LedgerRow(e, o);
  EXPECT_EQ(row[7], "张**手机138****5678，赵**经办");
  EXPECT_EQ(row[16], "王**");
  EXPECT_EQ(row[1], "F-1");
  EXPECT_EQ(row[8], "5200000.05");
  v1::LedgerEntry m = MaskEntry(e);
  EXPECT_EQ(m.finding().counterparties(0).name(), "赵**");
}

TEST(LedgerExportTest, JsonlAndBinaryRoundTrip) {
  TempDir dir;
  v1::LedgerEntry a = Entry(), b = Entry();
  b.set_id("F-2");
  b.set_seq(2);
  (*b.mutable_finding()->mutable_attrs())["合同类型"] = "施工";
  (*b.mutable_finding()->mutable_attrs())["a"] = "1";
  auto n = WriteLedger({a, b}, "jsonl", dir.File("l.jsonl"));
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 2);
  std::istringstream lines(ReadFile(dir.File("l.jsonl")));
  std::string line;
  std::vector<v1::LedgerEntry> back;
  while (std::getline(lines, line)) {
    v1::LedgerEntry e;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &e).ok()) << line;
    back.push_back(e);
  }
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].finding().attrs().at("合同类型"), "施工");
  EXPECT_EQ(back[0].SerializeAsString(), a.SerializeAsString());
  // Same input, same bytes.
  ASSERT_TRUE(WriteLedger({a, b}, "jsonl", dir.File("l2.jsonl")).ok());
  EXPECT_EQ(ReadFile(dir.File("l.jsonl")), ReadFile(dir.File("l2.jsonl")));

  ASSERT_TRUE(WriteLedger({a, b}, "binpb", dir.File("l.binpb")).ok());
  std::string bin = ReadFile(dir.File("l.binpb"));
  google::protobuf::io::ArrayInputStream ais(bin.data(), static_cast<int>(bin.size()));
  google::protobuf::io::CodedInputStream cis(&ais);
  int count = 0;
  uint32_t size = 0;
  while (cis.ReadVarint32(&size)) {
    auto limit = cis.PushLimit(static_cast<int>(size));
    v1::LedgerEntry e;
    ASSERT_TRUE(e.ParseFromCodedStream(&cis));
    cis.PopLimit(limit);
    EXPECT_EQ(e.id(), count == 0 ? "F-1" : "F-2");
    ++count;
  }
  EXPECT_EQ(count, 2);
  EXPECT_EQ(WriteLedger({a}, "pdf", dir.File("x")).status().code(), StatusCode::kInvalidArgument);
}

int RunCli(const std::string& args, const std::string& out_path) {
  std::string cmd = std::string(XUNCHA_CLI_PATH) + " " + args + " >" + out_path + " 2>&1";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// import -> bulk CSV from a unit -> export csv, against a golden file.
TEST(LedgerCliTest, ImportBulkExportGolden) {
  TempDir dir;
  const std::string src = XUNCHA_SOURCE_DIR "/tests/testdata/ledger/";
  const std::string db = " --db " + dir.File("l.db") + " --now 2024-06-01T09:00:00Z ";
  ASSERT_EQ(RunCli("ledger import" + db + src + "classified.jsonl", dir.File("o1")), 0)
      << ReadFile(dir.File("o1"));
  EXPECT_NE(ReadFile(dir.File("o1")).find("imported: 12"), std::string::npos);
  int rc = RunCli("ledger transition" + db + "--bulk " + src + "bulk.csv", dir.File("o2"));
  std::string out = ReadFile(dir.File("o2"));
  EXPECT_EQ(rc, 1) << out;  // rows 4, 7 and 8 fail; the others are applied
  EXPECT_NE(out.find("bulk.csv:4: 第4行(问题编号 L-002)"), std::string::npos) << out;
  EXPECT_NE(out.find("draft -> closed"), std::string::npos) << out;
  EXPECT_NE(out.find("bulk.csv:7: 第7行(问题编号 L-404)"), std::string::npos) << out;
  EXPECT_NE(out.find("bulk.csv:8: 第8行(问题编号 L-003): 未知目标状态「完成」"), std::string::npos)
      << out;
  EXPECT_NE(out.find("applied: 6  失败 failed: 3"), std::string::npos) << out;
  ASSERT_EQ(RunCli("ledger export" + db + "--format csv -o " + dir.File("l.csv"), dir.File("o3")),
            0)
      << ReadFile(dir.File("o3"));
  std::string golden = ReadFile(src + "ledger.golden.csv");
  std::string got = ReadFile(dir.File("l.csv"));
  if (std::getenv("XUNCHA_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(src + "ledger.golden.csv", std::ios::binary) << got;
  }
  EXPECT_EQ(got, golden);
  // Public audience, masked: withheld lead and internal entries gone.
  ASSERT_EQ(RunCli("ledger export" + db + "--format csv --audience public --mask -o " +
                       dir.File("pub.csv"),
                   dir.File("o4")),
            0);
  std::string pub = ReadFile(dir.File("pub.csv"));
  EXPECT_NE(pub.find("\"L-005\""), std::string::npos);  // made public by the bulk file
  EXPECT_EQ(pub.find("\"L-007\""), std::string::npos);
  EXPECT_EQ(pub.find("\"L-001\""), std::string::npos);
  EXPECT_EQ(pub.find("13812345678"), std::string::npos);
  EXPECT_NE(pub.find("138****5678"), std::string::npos);
  EXPECT_NE(pub.find("张**"), std::string::npos);
  // History shows every change.
  ASSERT_EQ(RunCli("ledger history" + db + "L-001", dir.File("o5")), 0);
  std::string hist = ReadFile(dir.File("o5"));
  EXPECT_NE(hist.find("import"), std::string::npos);
  EXPECT_NE(hist.find("已认领"), std::string::npos) << hist;
}

}  // namespace
}  // namespace xuncha

namespace xuncha {
namespace {

TEST(LedgerCliTest, BadClassifiedLineIsNamedAndNothingImported) {
  TempDir dir;
  {
    std::ofstream f(dir.File("bad.jsonl"), std::ios::binary);
    f << "{\"finding\":{\"id\":\"X1\"},\"classification\":{\"classified\":true,"
         "\"category\":\"finance\",\"disposition\":\"rectify_now\"}}\n"
      << "\n"
      << "{\"finding\":{\"id\":\"X2\"},\"classification\":{\"clasified\":true}}\n";
  }
  const std::string db = " --db " + dir.File("l.db") + " ";
  EXPECT_EQ(RunCli("ledger import" + db + dir.File("bad.jsonl"), dir.File("o")), 1);
  std::string out = ReadFile(dir.File("o"));
  EXPECT_NE(out.find("bad.jsonl:record 2 (line 3): (classification) clasified"), std::string::npos) << out;
  EXPECT_EQ(RunCli("ledger show" + db, dir.File("o2")), 0);
  EXPECT_NE(ReadFile(dir.File("o2")).find("共 0 条"), std::string::npos);
  EXPECT_EQ(RunCli("ledger frobnicate" + db, dir.File("o3")), 2);
  EXPECT_EQ(RunCli("ledger transition X1 --to verifying" + db, dir.File("o4")), 2);  // no actor
}

}  // namespace
}  // namespace xuncha
