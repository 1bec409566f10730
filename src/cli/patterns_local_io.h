// Stop-gap I/O for the `patterns` and `reconcile` subcommands, each in one
// function so the lead can swap in the shared pieces when they land:
//   ReadClassifiedJsonl   -> the io helper's FindingReader (finding_io.h)
//   LoadPatternDefs       -> the rule compiler (compiler.h) with diagnostics
//   WriteFileAtomically   -> finding_io.h's AtomicFile

#ifndef XUNCHA_CLI_PATTERNS_LOCAL_IO_H_
#define XUNCHA_CLI_PATTERNS_LOCAL_IO_H_

#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "xuncha/status.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/rules.pb.h"

namespace xuncha::cli {

// JSON Lines of ClassifiedFinding, or of bare Finding (then unclassified).
// Blank lines are skipped. Every bad line is reported ("file:line: what"),
// up to 20; any bad line makes the result InvalidArgument.
StatusOr<std::vector<v1::ClassifiedFinding>> ReadClassifiedJsonl(const std::string& path);

// The pattern definitions of a rule set: one text-format RuleSet file, or a
// directory whose *.textproto files (sorted by name) are each parsed as a
// RuleSet and their `pattern` entries concatenated. The RuleSetRef names
// the set (name/version of whichever file gives them).
struct PatternRules {
  std::vector<v1::PatternDef> defs;
  v1::RuleSetRef ref;
};
StatusOr<PatternRules> LoadPatternDefs(const std::string& path);

// Writes a temporary file beside `path`, fsyncs it and renames it over
// `path`. On failure the old file (if any) is left untouched.
Status WriteFileAtomically(const std::string& path, const std::string& contents);

// JSON in protobuf's mapping with proto field names; map keys in sorted order
// (deterministic output). One line unless `pretty`.
std::string ToJson(const google::protobuf::Message& message, bool pretty);

// A plain-text table for a terminal: columns padded to their display width
// (Chinese characters take two columns), two spaces apart; the last column
// is not padded. rows[0] is the header.
std::string RenderTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace xuncha::cli

#endif  // XUNCHA_CLI_PATTERNS_LOCAL_IO_H_
