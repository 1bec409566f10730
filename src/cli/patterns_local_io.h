// Output helpers of the `patterns` and `reconcile` subcommands: JSON with
// sorted map keys, and plain-text tables for Chinese text. (Reading goes
// through cli/classified_io.h, rules through the compiler.)

#ifndef XUNCHA_CLI_PATTERNS_LOCAL_IO_H_
#define XUNCHA_CLI_PATTERNS_LOCAL_IO_H_

#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "xuncha/status.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/rules.pb.h"

namespace xuncha::cli {

// The pattern definitions of a rule set and the set they came from.
struct PatternRules {
  std::vector<v1::PatternDef> defs;
  v1::RuleSetRef ref;
};

// JSON in protobuf's mapping with proto field names; map keys in sorted order
// (deterministic output). One line unless `pretty`.
std::string ToJson(const google::protobuf::Message& message, bool pretty);

// A plain-text table for a terminal: columns padded to their display width
// (Chinese characters take two columns), two spaces apart; the last column
// is not padded. rows[0] is the header.
std::string RenderTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace xuncha::cli

#endif  // XUNCHA_CLI_PATTERNS_LOCAL_IO_H_
