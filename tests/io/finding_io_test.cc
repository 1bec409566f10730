#include "xuncha/finding_io.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <vector>

#include "io/io_test_util.h"
#include "xuncha/v1/classification.pb.h"

namespace xuncha {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing::FullFinding;
using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

std::vector<v1::Finding> Corpus() {
  std::vector<v1::Finding> out;
  out.push_back(FullFinding(1));
  out.push_back(FullFinding(2));
  v1::Finding sparse;  // only an id: absent fields must stay absent
  sparse.set_id("XC-3");
  out.push_back(sparse);
  v1::Finding zero_amount;  // an amount of zero is not "no amount"
  zero_amount.set_id("XC-4");
  zero_amount.mutable_amount()->set_fen(0);
  zero_amount.set_text("  前后有空格的描述  ");
  out.push_back(zero_amount);
  v1::Finding negative;
  negative.set_id("XC-5");
  negative.mutable_amount()->set_fen(-5);
  negative.set_source(v1::SOURCE_KIND_PETITION);
  out.push_back(negative);
  return out;
}

void WriteAll(const std::string& path, const std::vector<v1::Finding>& findings,
              WriteOptions options = {}) {
  auto w = FindingWriter::Open(path, options);
  ASSERT_TRUE(w.ok()) << w.status();
  for (const auto& f : findings) ASSERT_TRUE((*w)->Write(f).ok());
  ASSERT_TRUE((*w)->Commit().ok());
}

std::vector<v1::Finding> ReadAll(const std::string& path, ReadOptions options = {}) {
  std::vector<RecordError> errors;
  options.on_error = [&](const RecordError& e) { errors.push_back(e); };
  auto r = FindingReader::Open(path, options);
  EXPECT_TRUE(r.ok()) << r.status();
  std::vector<v1::Finding> out;
  if (!r.ok()) return out;
  v1::Finding f;
  while ((*r)->Next(&f)) out.push_back(f);
  EXPECT_TRUE((*r)->status().ok()) << (*r)->status();
  for (const auto& e : errors) ADD_FAILURE() << e.ToString();
  EXPECT_EQ((*r)->counts().read, static_cast<int64_t>(out.size()));
  return out;
}

void ExpectSame(const std::vector<v1::Finding>& a, const std::vector<v1::Finding>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    std::string diff;
    MessageDifferencer d;
    d.ReportDifferencesToString(&diff);
    EXPECT_TRUE(d.Compare(a[i], b[i])) << "finding " << i << ": " << diff;
  }
}

struct Hop {
  std::string name;
  WriteOptions write;
  ReadOptions read;
};

TEST(FindingIoTest, RoundTripsEveryFormatChain) {
  TempDir dir;
  WriteOptions gb;
  gb.encoding = TextEncoding::kGb18030;
  WriteOptions bom_en;
  bom_en.bom = true;
  bom_en.header = CsvHeader::kEnglish;
  WriteOptions attr_cols;
  attr_cols.attr_columns = {"合同类型", "备注"};
  ReadOptions gb_explicit;
  gb_explicit.encoding = TextEncoding::kGb18030;
  std::vector<Hop> chain = {
      {"a.jsonl", {}, {}},          {"b.pb", {}, {}},        {"c.csv", {}, {}},
      {"d.csv", gb, {}},            {"e.binpb", {}, {}},     {"f.csv", bom_en, {}},
      {"g.ndjson", {}, {}},         {"h.csv", attr_cols, {}}, {"i.csv", gb, gb_explicit},
      {"j.jsonl", {}, {}},
  };
  std::vector<v1::Finding> expected = Corpus();
  std::vector<v1::Finding> current = expected;
  for (const Hop& hop : chain) {
    SCOPED_TRACE(hop.name);
    WriteAll(dir.File(hop.name), current, hop.write);
    current = ReadAll(dir.File(hop.name), hop.read);
    ExpectSame(expected, current);
  }
  // The first and last JSON Lines files are byte-identical: output is
  // deterministic (attrs are a map, sorted on output).
  EXPECT_EQ(ReadFileOrDie(dir.File("a.jsonl")), ReadFileOrDie(dir.File("j.jsonl")));
}

TEST(FindingIoTest, JsonLinesUseProtoFieldNames) {
  TempDir dir;
  WriteAll(dir.File("x.jsonl"), {FullFinding(1)});
  std::string text = ReadFileOrDie(dir.File("x.jsonl"));
  EXPECT_NE(text.find("\"found_on\":\"2024-03-05\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"inspector_team\":\"第三巡察组\""), std::string::npos);
  EXPECT_EQ(text.find("foundOn"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST(FindingIoTest, JsonAcceptsBothFieldNames) {
  auto r = FindingReader::FromBytes(
      "x.jsonl",
      "{\"id\":\"A\",\"foundOn\":\"2024-01-02\",\"inspectorTeam\":\"一组\"}\n"
      "{\"id\":\"B\",\"found_on\":\"2024-01-03\",\"inspector_team\":\"二组\",\"amount\":{\"fen\":12}}\n");
  ASSERT_TRUE(r.ok());
  v1::Finding f;
  ASSERT_TRUE((*r)->Next(&f));
  EXPECT_EQ(f.found_on(), "2024-01-02");
  EXPECT_EQ(f.inspector_team(), "一组");
  ASSERT_TRUE((*r)->Next(&f));
  EXPECT_EQ(f.found_on(), "2024-01-03");
  EXPECT_EQ(f.amount().fen(), 12);
  EXPECT_FALSE((*r)->Next(&f));
  EXPECT_EQ((*r)->counts().ok, 2);
}

TEST(FindingIoTest, BinaryIsProtobufDelimitedFraming) {
  TempDir dir;
  v1::Finding f = FullFinding(7);
  WriteAll(dir.File("x.pb"), {f, f});
  std::string bytes = ReadFileOrDie(dir.File("x.pb"));
  std::string one = f.SerializeAsString();
  ASSERT_GT(one.size(), 127u);  // a two-byte varint
  ASSERT_EQ(bytes.size(), 2 * (2 + one.size()));
  EXPECT_EQ(static_cast<uint8_t>(bytes[0]), 0x80 | (one.size() & 0x7F));
  EXPECT_EQ(static_cast<uint8_t>(bytes[1]), one.size() >> 7);
}

TEST(FindingIoTest, ReadsExcelStyleChineseCsv) {
  // As a person exports it: BOM, Chinese titles with full-width brackets,
  // 万元, Chinese dates and source names, a quoted field with a newline,
  // several counterparties, and a column nobody mapped.
  std::string csv =
      "\xEF\xBB\xBF问题编号,被巡察单位,问题描述,金额（万元）,发现日期,发生日期,问题来源,"
      "对方单位/供应商,巡察组,标签,轮次,合同类型\r\n"
      "XC-1,A公司,\"将道路修补拆成三份合同,\r\n均未招标\",520.5,2024年3月5日,2023/8,个别谈话,"
      "甲公司；乙公司、丙公司,第三巡察组,化整为零;重点,2024-R1,施工\r\n"
      "XC-2,B公司,\"外立面改造\"\"先实施后招标\"\"\",,2024-03-05,,信访举报,,,,,\r\n";
  auto r = FindingReader::FromBytes("f.csv", csv);
  ASSERT_TRUE(r.ok()) << r.status();
  v1::Finding f;
  ASSERT_TRUE((*r)->Next(&f));
  EXPECT_EQ(f.id(), "XC-1");
  EXPECT_EQ(f.unit().name(), "A公司");
  EXPECT_EQ(f.text(), "将道路修补拆成三份合同,\r\n均未招标");
  EXPECT_EQ(f.amount().fen(), 520500000);
  EXPECT_EQ(f.found_on(), "2024-03-05");
  EXPECT_EQ(f.occurred_on(), "2023-08");
  EXPECT_EQ(f.source(), v1::SOURCE_KIND_INTERVIEW);
  ASSERT_EQ(f.counterparties_size(), 3);
  EXPECT_EQ(f.counterparties(2).name(), "丙公司");
  EXPECT_EQ(f.inspector_team(), "第三巡察组");
  ASSERT_EQ(f.tags_size(), 2);
  EXPECT_EQ(f.round(), "2024-R1");
  EXPECT_EQ(f.attrs().at("合同类型"), "施工");
  ASSERT_TRUE((*r)->Next(&f));
  EXPECT_EQ(f.text(), "外立面改造\"先实施后招标\"");
  EXPECT_FALSE(f.has_amount());
  EXPECT_EQ(f.source(), v1::SOURCE_KIND_PETITION);
  EXPECT_FALSE((*r)->Next(&f));
  EXPECT_TRUE((*r)->status().ok());
  EXPECT_EQ((*r)->encoding(), TextEncoding::kUtf8);
}

TEST(FindingIoTest, DetectsGb18030) {
  TempDir dir;
  WriteOptions gb;
  gb.encoding = TextEncoding::kGb18030;
  WriteAll(dir.File("gb.csv"), {FullFinding(1)}, gb);
  std::string bytes = ReadFileOrDie(dir.File("gb.csv"));
  // "问题编号" in GB18030 is CE CA CC E2 B1 E0 BA C5.
  EXPECT_EQ(bytes.substr(0, 8), "\xCE\xCA\xCC\xE2\xB1\xE0\xBA\xC5");
  auto r = FindingReader::Open(dir.File("gb.csv"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->encoding(), TextEncoding::kGb18030);
}

TEST(FindingIoTest, ColumnMappingFile) {
  auto columns = CsvColumns::Parse(
      "# 我们的表\n合同金额(元) = amount\n对方单位名称 = counterparties\n项目类型 = attrs.类型\n",
      "cols.txt");
  ASSERT_TRUE(columns.ok()) << columns.status();
  EXPECT_EQ(columns->Lookup("合同金额（元）"), "amount");
  EXPECT_EQ(columns->Lookup("问题描述"), "text");  // built-ins stay
  ReadOptions o;
  o.columns = &*columns;
  auto r = FindingReader::FromBytes("x.csv", "编号,合同金额(元),项目类型\nA,\"3,850.50\",施工\n", o);
  ASSERT_TRUE(r.ok()) << r.status();
  v1::Finding f;
  ASSERT_TRUE((*r)->Next(&f));
  EXPECT_EQ(f.amount().fen(), 385050);
  EXPECT_EQ(f.attrs().at("类型"), "施工");

  auto bad = CsvColumns::Parse("a = amount\n\nb = nonsense\n", "cols.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "cols.txt:3: unknown field 'nonsense'");
  auto bad2 = CsvColumns::Parse("no equals sign\n", "cols.txt");
  EXPECT_EQ(bad2.status().message(),
            "cols.txt:1: expected 'column title = field', got 'no equals sign'");
}

TEST(FindingIoTest, HeaderMappingTwoColumnsToOneFieldFails) {
  auto r = FindingReader::FromBytes("x.csv", "id,问题编号\nA,B\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "x.csv:line 1: header: columns 'id' and '问题编号' both map to field id");
}

TEST(FindingIoTest, GenericMessagesRoundTrip) {
  TempDir dir;
  v1::ClassifiedFinding cf;
  *cf.mutable_finding() = FullFinding(3);
  cf.mutable_classification()->set_category("bidding");
  cf.mutable_classification()->set_subcategory("split_to_evade");
  cf.mutable_classification()->set_confidence(0.75);
  for (std::string name : {"c.jsonl", "c.pb"}) {
    auto w = MessageWriter::Open(dir.File(name));
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Write(cf).ok());
    ASSERT_TRUE((*w)->Write(cf).ok());
    ASSERT_TRUE((*w)->Commit().ok());
    auto r = MessageReader::Open(dir.File(name));
    ASSERT_TRUE(r.ok());
    v1::ClassifiedFinding back;
    int n = 0;
    while ((*r)->Next(&back)) {
      ++n;
      EXPECT_TRUE(MessageDifferencer::Equals(cf, back));
    }
    EXPECT_EQ(n, 2);
    EXPECT_EQ((*r)->counts().ok, 2);
  }
  EXPECT_FALSE(MessageWriter::Open(dir.File("c.csv")).ok());
}

TEST(FindingIoTest, MessageReaderValidator) {
  auto r = MessageReader::FromBytes("l.jsonl",
                                    "{\"label\":{\"is_problem\":true,\"category\":\"bidding\"}}\n"
                                    "{\"label\":{\"is_problem\":true}}\n");
  ASSERT_TRUE(r.ok());
  std::vector<std::string> errors;
  ReadOptions o;
  (*r)->set_validator([](const google::protobuf::Message& m, std::string* field) {
    const auto& lf = static_cast<const v1::LabelledFinding&>(m);
    if (lf.label().is_problem() && lf.label().category().empty()) {
      *field = "label.category";
      return std::string("a problem needs a category");
    }
    return std::string();
  });
  v1::LabelledFinding lf;
  EXPECT_TRUE((*r)->Next(&lf));
  EXPECT_FALSE((*r)->Next(&lf));
  EXPECT_EQ((*r)->counts().rejected, 1);
}

TEST(FieldParsersTest, Amounts) {
  EXPECT_EQ(*ParseYuanToFen("3850.50"), 385050);
  EXPECT_EQ(*ParseYuanToFen("3,850.50"), 385050);
  EXPECT_EQ(*ParseYuanToFen("1,234,567"), 123456700);
  EXPECT_EQ(*ParseYuanToFen(" 12.3 "), 1230);
  EXPECT_EQ(*ParseYuanToFen("１２元"), 1200);
  EXPECT_EQ(*ParseYuanToFen("-0.05"), -5);
  EXPECT_EQ(*ParseYuanToFen("92233720368547758.07"), INT64_MAX);
  EXPECT_EQ(*ParseWanYuanToFen("520.5"), 520500000);
  EXPECT_EQ(*ParseWanYuanToFen("0.000001"), 1);
  EXPECT_EQ(ParseYuanToFen("12.3.4").status().message(), "not an amount: \"12.3.4\"");
  EXPECT_EQ(ParseYuanToFen("1.234").status().message(),
            "not an amount with more than 2 decimals: \"1.234\"");
  EXPECT_EQ(ParseYuanToFen("92233720368547758.08").status().message(),
            "not an amount out of range: \"92233720368547758.08\"");
  for (const char* bad : {"", "abc", "12,34", "1,2345", ",123", "1.", ".5", "3850万元", "1e5",
                          "--1", "12 34"}) {
    EXPECT_FALSE(ParseYuanToFen(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatFen(385050), "3850.50");
  EXPECT_EQ(FormatFen(-5), "-0.05");
  EXPECT_EQ(FormatFen(0), "0.00");
}

TEST(FieldParsersTest, Dates) {
  EXPECT_EQ(*ParseDate("2024-03-05"), "2024-03-05");
  EXPECT_EQ(*ParseDate("2024/3/5"), "2024-03-05");
  EXPECT_EQ(*ParseDate("2024.3.5"), "2024-03-05");
  EXPECT_EQ(*ParseDate("2024年3月5日"), "2024-03-05");
  EXPECT_EQ(*ParseDate("2024年3月"), "2024-03");
  EXPECT_EQ(*ParseDate("2024-03"), "2024-03");
  EXPECT_EQ(*ParseDate("2024"), "2024");
  EXPECT_EQ(*ParseDate("2024-03-05 00:00:00"), "2024-03-05");
  EXPECT_EQ(*ParseDate("２０２４－０３－０５"), "2024-03-05");
  EXPECT_EQ(*ParseDate("2024-02-29"), "2024-02-29");
  EXPECT_EQ(ParseDate("2023-02-29").status().message(), "no such day: \"2023-02-29\"");
  EXPECT_EQ(ParseDate("2024-13-01").status().message(), "no such month: \"2024-13-01\"");
  EXPECT_EQ(ParseDate("5/3/2024").status().message(), "not a date: \"5/3/2024\"");
  for (const char* bad : {"", "2024-03/05", "2024年3", "2024-", "24-3-5", "2024-3-5-1",
                          "2024年3月5", "昨天"}) {
    EXPECT_FALSE(ParseDate(bad).ok()) << bad;
  }
}

TEST(FieldParsersTest, SourceKinds) {
  EXPECT_EQ(*ParseSourceKind("SOURCE_KIND_INTERVIEW"), v1::SOURCE_KIND_INTERVIEW);
  EXPECT_EQ(*ParseSourceKind("interview"), v1::SOURCE_KIND_INTERVIEW);
  EXPECT_EQ(*ParseSourceKind("Interview"), v1::SOURCE_KIND_INTERVIEW);
  EXPECT_EQ(*ParseSourceKind("个别谈话"), v1::SOURCE_KIND_INTERVIEW);
  EXPECT_EQ(*ParseSourceKind("谈话"), v1::SOURCE_KIND_INTERVIEW);
  EXPECT_EQ(*ParseSourceKind("查阅资料"), v1::SOURCE_KIND_DOCUMENT_REVIEW);
  EXPECT_EQ(*ParseSourceKind("实地走访"), v1::SOURCE_KIND_SITE_VISIT);
  EXPECT_EQ(*ParseSourceKind("自查"), v1::SOURCE_KIND_SELF_CHECK);
  EXPECT_EQ(*ParseSourceKind("信访举报"), v1::SOURCE_KIND_PETITION);
  EXPECT_EQ(*ParseSourceKind("审计"), v1::SOURCE_KIND_AUDIT);
  EXPECT_EQ(ParseSourceKind("电话").status().message(), "unknown source kind: \"电话\"");
  EXPECT_EQ(*ParseCounterpartyKind("供应商"), v1::COUNTERPARTY_KIND_SUPPLIER);
  EXPECT_EQ(*ParseCounterpartyKind("contractor"), v1::COUNTERPARTY_KIND_CONTRACTOR);
}

TEST(FormatTest, Names) {
  EXPECT_EQ(*FormatFromPath("a/b.JSONL"), RecordFormat::kJsonLines);
  EXPECT_EQ(*FormatFromPath("x.ndjson"), RecordFormat::kJsonLines);
  EXPECT_EQ(*FormatFromPath("x.binpb"), RecordFormat::kBinary);
  EXPECT_EQ(*FormatFromPath("x.csv"), RecordFormat::kCsv);
  EXPECT_FALSE(FormatFromPath("-").ok());
  EXPECT_FALSE(FormatFromPath("x.txt").ok());
  EXPECT_FALSE(FormatFromPath("dir.d/noext").ok());
  EXPECT_EQ(*ParseRecordFormat("pb"), RecordFormat::kBinary);
  EXPECT_EQ(*ParseTextEncoding("GBK"), TextEncoding::kGb18030);
  EXPECT_FALSE(ParseTextEncoding("latin1").ok());
}

}  // namespace
}  // namespace xuncha

namespace xuncha {
namespace {

std::vector<std::string> Ids(FindingReader& r) {
  std::vector<std::string> ids;
  v1::Finding f;
  while (r.Next(&f)) {
    ids.push_back(f.id() + "@" + std::to_string(r.record()) + ":" + std::to_string(r.line()));
  }
  return ids;
}

TEST(FindingIoEdgeTest, JsonLinesWithBom) {
  auto r = FindingReader::FromBytes("x.jsonl", "\xEF\xBB\xBF{\"id\":\"A\"}\n{\"id\":\"B\"}\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ids(**r), (std::vector<std::string>{"A@1:1", "B@2:2"}));
  EXPECT_EQ((*r)->counts().rejected, 0);
}

TEST(FindingIoEdgeTest, CsvRowsOfEmptyCellsAreNotRecords) {
  auto r = FindingReader::FromBytes("x.csv", "id,text\r\nA,x\r\n,\r\n\r\n , \r\nB,y\r\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ids(**r), (std::vector<std::string>{"A@1:2", "B@2:6"}));
  EXPECT_EQ((*r)->counts().read, 2);
}

TEST(FindingIoEdgeTest, CsvHeaderProblemsFailOpen) {
  auto utf16 = FindingReader::FromBytes("x.csv", std::string("\xFF\xFEi\0d\0", 6));
  ASSERT_FALSE(utf16.ok());
  EXPECT_EQ(utf16.status().message(),
            "x.csv: UTF-16 text is not CSV; save it as \"CSV UTF-8\" or \"CSV (逗号分隔)\"");
  ReadOptions o;
  o.max_record_bytes = 8;
  auto long_header = FindingReader::FromBytes("x.csv", "id,text,round\nA,b,c\n", o);
  ASSERT_FALSE(long_header.ok());
  EXPECT_EQ(long_header.status().message(),
            "x.csv:line 1: header: longer than the record limit of 8 bytes");
  auto quoting = FindingReader::FromBytes("x.csv", "id,te\"xt\nA,b\n");
  ASSERT_FALSE(quoting.ok());
  EXPECT_EQ(quoting.status().message(),
            "x.csv:line 1: header: bad CSV quoting: quote inside unquoted field 2");
}

TEST(FindingIoEdgeTest, TitlesCompareWithoutSpacesAndWidths) {
  auto r = FindingReader::FromBytes("x.csv", "ID , 金额 （元）,Unit.Name\nA,\"1,000\",甲\n");
  ASSERT_TRUE(r.ok()) << r.status();
  v1::Finding f;
  ASSERT_TRUE((*r)->Next(&f));
  EXPECT_EQ(f.id(), "A");
  EXPECT_EQ(f.amount().fen(), 100000);
  EXPECT_EQ(f.unit().name(), "甲");
}

TEST(FindingIoEdgeTest, LateGb18030AfterAsciiStart) {
  // 70 KB of ASCII rows, then a GB18030 row: auto detection saw only ASCII.
  std::string csv = "id,text\n";
  for (int i = 0; csv.size() < 70000; ++i) csv += "A" + std::to_string(i) + ",plain ascii row\n";
  csv += "Z,\xCE\xCA\xCC\xE2\n";  // 问题
  auto r = FindingReader::FromBytes("x.csv", csv);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->encoding(), TextEncoding::kUtf8);
  v1::Finding f, last;
  while ((*r)->Next(&f)) last = f;
  EXPECT_EQ((*r)->counts().rejected, 0);
  EXPECT_EQ(last.text(), "问题");
  EXPECT_EQ((*r)->encoding(), TextEncoding::kGb18030);
  // After a non-ASCII UTF-8 row the guess stands: the bad row is rejected.
  auto r2 = FindingReader::FromBytes("y.csv", csv.substr(0, 8) + "B,好\n" + csv.substr(8));
  ASSERT_TRUE(r2.ok());
  while ((*r2)->Next(&f)) {
  }
  EXPECT_EQ((*r2)->counts().rejected, 1);
}

TEST(FindingIoEdgeTest, UntitledColumnsMustBeEmpty) {
  std::vector<std::string> messages;
  ReadOptions o;
  o.on_error = [&](const RecordError& e) { messages.push_back(e.ToString()); };
  auto r = FindingReader::FromBytes("x.csv", "id,text,,\nA,a,,\nB,b,,多余\n", o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Ids(**r), (std::vector<std::string>{"A@1:2"}));
  EXPECT_EQ(messages, (std::vector<std::string>{
                          "x.csv:record 2 (line 3): field column 4: value in a column without a "
                          "title"}));
}

TEST(FindingIoEdgeTest, EmptyInputs) {
  for (const char* name : {"e.csv", "e.jsonl", "e.pb"}) {
    auto r = FindingReader::FromBytes(name, "");
    ASSERT_TRUE(r.ok()) << name;
    v1::Finding f;
    EXPECT_FALSE((*r)->Next(&f));
    EXPECT_TRUE((*r)->status().ok());
    EXPECT_EQ((*r)->counts().read, 0);
  }
}

TEST(FindingIoEdgeTest, SharedSeenIdsAcrossFiles) {
  SeenIds seen;
  ReadOptions o;
  o.seen_ids = &seen;
  std::vector<std::string> messages;
  o.on_error = [&](const RecordError& e) { messages.push_back(e.ToString()); };
  for (const char* name : {"a.jsonl", "b.jsonl"}) {
    auto r = FindingReader::FromBytes(name, "{\"id\":\"A\"}\n{\"id\":\"B\"}\n", o);
    ASSERT_TRUE(r.ok());
    Ids(**r);
  }
  EXPECT_EQ(messages, (std::vector<std::string>{
                          "b.jsonl:record 1 (line 1): field id: duplicate id \"A\" (first in "
                          "a.jsonl record 1)",
                          "b.jsonl:record 2 (line 2): field id: duplicate id \"B\" (first in "
                          "a.jsonl record 2)"}));
  EXPECT_EQ(seen.size(), 2u);
}

TEST(FindingIoEdgeTest, CsvWriterRefusesWhatItCannotHold) {
  TempDir dir;
  auto w = FindingWriter::Open(dir.File("x.csv"));
  ASSERT_TRUE(w.ok());
  v1::Finding f;
  f.set_id("A");
  f.add_counterparties()->set_name("甲、乙联合体");
  Status s = (*w)->Write(f);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "counterparty name \"甲、乙联合体\" contains a list separator (；;、); CSV cannot "
            "hold it");
  f.mutable_counterparties(0)->set_name("甲乙联合体");
  EXPECT_TRUE((*w)->Write(f).ok());
  EXPECT_EQ((*w)->count(), 1);
  ASSERT_TRUE((*w)->Commit().ok());
  auto back = ReadAll(dir.File("x.csv"));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].counterparties(0).name(), "甲乙联合体");
}

}  // namespace
}  // namespace xuncha
