// The corpora of `xuncha eval`, `diff` and `coverage`: files of findings
// (JSON Lines, binary, CSV) or of labelled findings (JSON Lines of
// xuncha.v1.LabelledFinding), told apart per file by the first record: a
// JSON object with a top-level "finding" key is labelled. The whole corpus is
// held in memory (these are evaluation sets, not production streams) and
// classified in input order on N threads.

#ifndef XUNCHA_CLI_CORPUS_H_
#define XUNCHA_CLI_CORPUS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/engine.h"
#include "xuncha/v1/classification.pb.h"

namespace xuncha::cli {

// True when the first non-blank line of the JSON Lines file is an object
// with a top-level "finding" key (a LabelledFinding or ClassifiedFinding).
bool FirstRecordHasFindingKey(const std::string& path);

struct Corpus {
  // Findings without a label have has_label() false.
  std::vector<v1::LabelledFinding> items;
  int64_t rejected = 0;      // bad records (each printed to stderr)
  int failed_files = 0;      // unreadable files (printed to stderr)
  int unlabelled_files = 0;  // files of plain findings
};

// Reads every path in order. Bad records and unreadable files are printed
// to stderr, prefixed by "xuncha COMMAND: " for files, and counted.
Corpus ReadCorpus(std::string_view command, const std::vector<std::string>& paths);

// Classifies every item's finding with `engine` on `threads` threads;
// result i belongs to item i. A finding that cannot be classified carries
// its error in the classification (and is counted in *failed).
std::vector<v1::Classification> ClassifyCorpus(const std::shared_ptr<const Engine>& engine,
                                               const Corpus& corpus, int threads,
                                               int64_t* failed);

}  // namespace xuncha::cli

#endif  // XUNCHA_CLI_CORPUS_H_
