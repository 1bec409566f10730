// The rejects file gets the raw bytes of every rejected record, so it can be
// fixed and fed back in; good records never reach it.

#include <gtest/gtest.h>

#include "io/io_test_util.h"
#include "xuncha/finding_io.h"

namespace xuncha {
namespace {

using testing::ReadFileOrDie;
using testing::TempDir;

std::string RejectsOf(const std::string& name, const std::string& input, ReadOptions o,
                      ReadCounts* counts) {
  TempDir dir;
  auto rejects = RejectsWriter::Open(dir.File("rejects"));
  EXPECT_TRUE(rejects.ok());
  o.rejects = rejects->get();
  auto r = FindingReader::FromBytes(name, input, o);
  EXPECT_TRUE(r.ok()) << r.status();
  v1::Finding f;
  while ((*r)->Next(&f)) {
  }
  EXPECT_TRUE((*r)->status().ok());
  *counts = (*r)->counts();
  EXPECT_EQ((*rejects)->count(), counts->rejected);
  EXPECT_TRUE((*rejects)->Commit().ok());
  return ReadFileOrDie(dir.File("rejects"));
}

TEST(RejectsTest, JsonLinesRawLinesIncludingOversized) {
  ReadOptions o;
  o.max_record_bytes = 20;
  std::string big = "{\"id\":\"B\",\"text\":\"" + std::string(100000, 'x') + "\"}\r\n";
  std::string input = "{\"id\":\"A\"}\n" + big + "{\"id\":\r\n{\"id\":\"C\"}\n{\"id\":\"D\"";
  ReadCounts n;
  std::string rejects = RejectsOf("x.jsonl", input, o, &n);
  EXPECT_TRUE(rejects == big + "{\"id\":\r\n{\"id\":\"D\"\n") << rejects.size();
  EXPECT_EQ(n.ok, 2);
  EXPECT_EQ(n.rejected, 3);
}

TEST(RejectsTest, LastLineWithoutNewlineGetsOne) {
  ReadCounts n;
  EXPECT_EQ(RejectsOf("x.jsonl", "{\"id\":\"A\"}\n{\"id\":", {}, &n), "{\"id\":\n");
}

TEST(RejectsTest, CsvGetsHeaderAndMultilineRecords) {
  std::string header = "\xEF\xBB\xBF问题编号,问题描述,金额(元)\r\n";
  std::string bad1 = "B,\"两行\r\n描述\",12.3.4\r\n";
  std::string bad2 = "C,缺列\r\n";
  std::string input = header + "A,好,1\r\n" + bad1 + bad2 + "D,好,2\r\n";
  ReadCounts n;
  std::string rejects = RejectsOf("x.csv", input, {}, &n);
  // The BOM is not part of the header row as read.
  EXPECT_EQ(rejects, header.substr(3) + bad1 + bad2);
  EXPECT_EQ(n.ok, 2);
}

TEST(RejectsTest, OversizedCsvRecordStreamsWhole) {
  ReadOptions o;
  o.max_record_bytes = 64;
  std::string header = "id,text\n";
  std::string big = "B,\"" + std::string(300, 'y') + "\n" + std::string(300, 'z') + "\"\n";
  ReadCounts n;
  std::string rejects = RejectsOf("x.csv", header + "A,a\n" + big + "C,c\n", o, &n);
  EXPECT_TRUE(rejects == header + big) << rejects.substr(0, 200);
  EXPECT_EQ(n.ok, 2);
  EXPECT_EQ(n.rejected, 1);
}

TEST(RejectsTest, BinaryKeepsFraming) {
  v1::Finding a, b;
  a.set_id("A");
  b.set_text("无编号");
  std::string fa = a.SerializeAsString(), fb = b.SerializeAsString();
  std::string ra = std::string(1, static_cast<char>(fa.size())) + fa;
  std::string rb = std::string(1, static_cast<char>(fb.size())) + fb;
  ReadCounts n;
  EXPECT_EQ(RejectsOf("x.pb", ra + rb + ra, {}, &n), rb + ra);  // missing id, duplicate
  ReadOptions o;
  o.max_record_bytes = 3;
  EXPECT_EQ(RejectsOf("y.pb", ra + rb, o, &n), rb);  // oversized, streamed
  EXPECT_EQ(n.ok, 1);
}

}  // namespace
}  // namespace xuncha
