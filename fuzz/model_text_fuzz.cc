// Differential fuzzing of the fast model reader (rules/model_text.h): on any
// text it accepts, protobuf's TextFormat must accept the same text and read
// the same model. It must never crash or read out of bounds either way.

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "rules/model_text.h"
#include "xuncha/v1/rules.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  xuncha::v1::TextModel fast;
  if (!xuncha::rules::ParseModelText(text, &fast)) return 0;
  xuncha::v1::RuleSet set;
  google::protobuf::TextFormat::Parser parser;
  if (!parser.ParseFromString(text, &set) || set.model_size() != 1 || set.rule_size() != 0) {
    std::abort();  // the fast reader took a text TextFormat rejects
  }
  if (!google::protobuf::util::MessageDifferencer::Equals(set.model(0), fast)) std::abort();
  return 0;
}
