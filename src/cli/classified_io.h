// Reading classified output for the subcommands that consume it (patterns,
// reconcile, ledger, report): xuncha.v1.ClassifiedFinding as JSON Lines or
// binary through the shared reader (include/xuncha/finding_io.h), or plain
// findings in any findings format (then unclassified), told apart per file.

#ifndef XUNCHA_CLI_CLASSIFIED_IO_H_
#define XUNCHA_CLI_CLASSIFIED_IO_H_

#include <string>
#include <vector>

#include "xuncha/status.h"
#include "xuncha/v1/classification.pb.h"

namespace xuncha::cli {

// Appends every record of `path` to *out. Each bad record is printed to
// stderr with its file and record number; if any was rejected the result is
// InvalidArgument (the good records are still appended), so nothing is lost
// silently. I/O failures are their Status.
Status ReadClassified(const std::string& path, std::vector<v1::ClassifiedFinding>* out);

// Writes `contents` to `path` atomically (xuncha::AtomicFile); "-" = stdout.
Status WriteWholeFile(const std::string& path, const std::string& contents);

}  // namespace xuncha::cli

#endif  // XUNCHA_CLI_CLASSIFIED_IO_H_
