// Helpers for the finding I/O tests: a finding with every field set, and
// temporary directories.

#ifndef XUNCHA_TESTS_IO_IO_TEST_UTIL_H_
#define XUNCHA_TESTS_IO_IO_TEST_UTIL_H_

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "xuncha/v1/finding.pb.h"

namespace xuncha::testing {

// Every field of Finding set, Chinese wherever text goes.
inline v1::Finding FullFinding(int i = 1) {
  v1::Finding f;
  f.set_id("XC-2024-" + std::to_string(i));
  v1::Unit* u = f.mutable_unit();
  u->set_id("U-0" + std::to_string(i));
  u->set_name("A公司检修分部");
  u->set_parent_id("U-00");
  u->set_kind("branch");
  u->set_business_line("电力");
  u->set_headcount(120 + i);
  f.set_round("2024-R1");
  f.set_text("(虚构) A公司检修分部将厂区道路修补拆成三份合同交同一施工队，合计约520万元，"
             "均未招标。\n另有\"引号\"和逗号,以及 空格。");
  f.mutable_amount()->set_fen(520000000 + i);
  f.set_occurred_on("2023-08");
  f.set_found_on("2024-03-05");
  f.set_source(v1::SOURCE_KIND_DOCUMENT_REVIEW);
  v1::Counterparty* c1 = f.add_counterparties();
  c1->set_id("91110000MA01ABCD1X");
  c1->set_name("某某建筑工程有限公司");
  c1->set_kind(v1::COUNTERPARTY_KIND_CONTRACTOR);
  v1::Counterparty* c2 = f.add_counterparties();
  c2->set_name("某招标代理有限公司");
  c2->set_kind(v1::COUNTERPARTY_KIND_AGENT);
  v1::Counterparty* c3 = f.add_counterparties();
  c3->set_name("张某");
  f.set_inspector_team("第三巡察组");
  v1::EvidenceRef* e1 = f.add_evidence();
  e1->set_id("凭证2023-08-117");
  e1->set_kind("voucher");
  e1->set_description("付款凭证");
  e1->set_uri("file:///证据/117.pdf");
  v1::EvidenceRef* e2 = f.add_evidence();
  e2->set_id("合同HT-9");
  e2->set_kind("contract");
  f.add_tags("化整为零");
  f.add_tags("重点");
  (*f.mutable_attrs())["合同类型"] = "施工";
  (*f.mutable_attrs())["项目名称"] = "厂区道路修补, 一期";
  (*f.mutable_attrs())["备注"] = "含\"引号\"";
  return f;
}

// A fresh temporary directory, removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "xuncha_io_XXXXXX").string();
    char* p = ::mkdtemp(templ.data());
    path_ = p == nullptr ? "" : p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFileOrDie(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
}

}  // namespace xuncha::testing

#endif  // XUNCHA_TESTS_IO_IO_TEST_UTIL_H_
