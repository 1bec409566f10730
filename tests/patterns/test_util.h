// Builders of classified findings for pattern and reconciliation tests.

#ifndef XUNCHA_TESTS_PATTERNS_TEST_UTIL_H_
#define XUNCHA_TESTS_PATTERNS_TEST_UTIL_H_

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <string>
#include <utility>
#include <vector>

#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/patterns.pb.h"

namespace xuncha::testing {

class FindingBuilder {
 public:
  FindingBuilder(std::string id, std::string unit) {
    cf_.mutable_finding()->set_id(std::move(id));
    cf_.mutable_finding()->mutable_unit()->set_id(unit);
    cf_.mutable_finding()->set_round("2024-R1");
  }
  FindingBuilder& Category(std::string cat, std::string sub = "") {
    cf_.mutable_classification()->set_classified(true);
    cf_.mutable_classification()->set_category(std::move(cat));
    cf_.mutable_classification()->set_subcategory(std::move(sub));
    return *this;
  }
  FindingBuilder& UnitName(std::string name) {
    cf_.mutable_finding()->mutable_unit()->set_name(std::move(name));
    return *this;
  }
  FindingBuilder& Kind(std::string kind) {
    cf_.mutable_finding()->mutable_unit()->set_kind(std::move(kind));
    return *this;
  }
  FindingBuilder& Line(std::string line) {
    cf_.mutable_finding()->mutable_unit()->set_business_line(std::move(line));
    return *this;
  }
  FindingBuilder& Headcount(int n) {
    cf_.mutable_finding()->mutable_unit()->set_headcount(n);
    return *this;
  }
  FindingBuilder& Round(std::string round) {
    cf_.mutable_finding()->set_round(std::move(round));
    return *this;
  }
  FindingBuilder& Text(std::string text) {
    cf_.mutable_finding()->set_text(std::move(text));
    return *this;
  }
  FindingBuilder& Fen(int64_t fen) {
    cf_.mutable_finding()->mutable_amount()->set_fen(fen);
    return *this;
  }
  FindingBuilder& Yuan(int64_t yuan) { return Fen(yuan * 100); }
  FindingBuilder& Counterparty(std::string name) {
    cf_.mutable_finding()->add_counterparties()->set_name(std::move(name));
    return *this;
  }
  FindingBuilder& Attr(std::string key, std::string value) {
    (*cf_.mutable_finding()->mutable_attrs())[std::move(key)] = std::move(value);
    return *this;
  }
  FindingBuilder& OccurredOn(std::string date) {
    cf_.mutable_finding()->set_occurred_on(std::move(date));
    return *this;
  }
  operator v1::ClassifiedFinding() const { return cf_; }  // NOLINT
  const v1::ClassifiedFinding& get() const { return cf_; }

 private:
  v1::ClassifiedFinding cf_;
};

inline FindingBuilder F(std::string id, std::string unit) {
  return FindingBuilder(std::move(id), std::move(unit));
}

// Deterministic serialization: protobuf maps (Pattern.stats) are otherwise
// written in hash order.
inline std::string DeterministicBytes(const google::protobuf::MessageLite& m) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&coded);
  }
  return out;
}

}  // namespace xuncha::testing

#endif  // XUNCHA_TESTS_PATTERNS_TEST_UTIL_H_
