// Reads classified output (JSON Lines of xuncha.v1.ClassifiedFinding) for
// the ledger and report subcommands. A small local reader until the general
// finding reader (include/xuncha/finding_io.h) is merged; then the CLI
// switches to it.

#ifndef XUNCHA_CLI_CLASSIFIED_JSONL_H_
#define XUNCHA_CLI_CLASSIFIED_JSONL_H_

#include <string>
#include <vector>

#include "xuncha/status.h"
#include "xuncha/v1/classification.pb.h"

namespace xuncha::cli {

// Appends one ClassifiedFinding per non-blank line of `path` ("-" = stdin).
// On a bad line returns INVALID_ARGUMENT "PATH:LINE: message" and appends
// nothing more; the lines before it are kept.
Status ReadClassifiedJsonl(const std::string& path, std::vector<v1::ClassifiedFinding>* out);

}  // namespace xuncha::cli

#endif  // XUNCHA_CLI_CLASSIFIED_JSONL_H_
