// Test helpers: classified findings and temporary ledgers.

#ifndef XUNCHA_TESTS_OUTPUT_LEDGER_TESTUTIL_H_
#define XUNCHA_TESTS_OUTPUT_LEDGER_TESTUTIL_H_

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "xuncha/v1/classification.pb.h"

namespace xuncha::testing {

inline v1::ClassifiedFinding Problem(const std::string& id, const std::string& unit_id,
                                     const std::string& unit_name, const std::string& round,
                                     const std::string& category, const std::string& sub,
                                     const std::string& text, int64_t fen = 0,
                                     const std::string& disposition = "rectify_by_deadline") {
  v1::ClassifiedFinding cf;
  v1::Finding* f = cf.mutable_finding();
  f->set_id(id);
  f->mutable_unit()->set_id(unit_id);
  f->mutable_unit()->set_name(unit_name);
  f->set_round(round);
  f->set_text(text);
  if (fen != 0) f->mutable_amount()->set_fen(fen);
  v1::Classification* c = cf.mutable_classification();
  c->set_finding_id(id);
  c->set_classified(true);
  c->set_category(category);
  c->set_subcategory(sub);
  c->set_discipline("work");
  c->set_nature("general");
  c->set_disposition(disposition);
  if (disposition == "transfer_lead") c->set_transfer_target("discipline");
  return cf;
}

// A fresh directory under the test temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string templ = std::string(base != nullptr ? base : "/tmp") + "/xuncha_ledgerXXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    path_ = mkdtemp(buf.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace xuncha::testing

#endif  // XUNCHA_TESTS_OUTPUT_LEDGER_TESTUTIL_H_
