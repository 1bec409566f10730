#include "cli/corpus.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <iostream>

#include "xuncha/finding_io.h"

namespace xuncha::cli {

bool FirstRecordHasFindingKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    google::protobuf::Struct object;
    if (!google::protobuf::util::JsonStringToMessage(line, &object).ok()) return false;
    return object.fields().count("finding") != 0;
  }
  return false;
}

Corpus ReadCorpus(std::string_view command, const std::vector<std::string>& paths) {
  Corpus corpus;
  ReadOptions options;
  options.on_error = [](const RecordError& e) { std::cerr << e.ToString() << "\n"; };
  SeenIds seen;
  options.seen_ids = &seen;
  for (const std::string& path : paths) {
    auto format = FormatFromPath(path);
    bool labelled = format.ok() && *format == RecordFormat::kJsonLines && FirstRecordHasFindingKey(path);
    if (labelled) {
      auto reader = MessageReader::Open(path, options);
      if (!reader.ok()) {
        std::cerr << "xuncha " << command << ": " << reader.status().message() << "\n";
        ++corpus.failed_files;
        continue;
      }
      v1::LabelledFinding item;
      while ((*reader)->Next(&item)) corpus.items.push_back(item);
      corpus.rejected += (*reader)->counts().rejected;
      if (!(*reader)->status().ok()) {
        std::cerr << "xuncha " << command << ": " << (*reader)->status().message() << "\n";
        ++corpus.failed_files;
      }
    } else {
      ++corpus.unlabelled_files;
      auto reader = FindingReader::Open(path, options);
      if (!reader.ok()) {
        std::cerr << "xuncha " << command << ": " << reader.status().message() << "\n";
        ++corpus.failed_files;
        continue;
      }
      v1::LabelledFinding item;
      while ((*reader)->Next(item.mutable_finding())) {
        corpus.items.push_back(item);
        item.Clear();
      }
      corpus.rejected += (*reader)->counts().rejected;
      if (!(*reader)->status().ok()) {
        std::cerr << "xuncha " << command << ": " << (*reader)->status().message() << "\n";
        ++corpus.failed_files;
      }
    }
  }
  return corpus;
}

std::vector<v1::Classification> ClassifyCorpus(const std::shared_ptr<const Engine>& engine,
                                               const Corpus& corpus, int threads,
                                               int64_t* failed) {
  std::vector<v1::Classification> out;
  out.reserve(corpus.items.size());
  size_t next = 0;
  auto source = [&](v1::Finding* f) -> StatusOr<bool> {
    if (next == corpus.items.size()) return false;
    *f = corpus.items[next++].finding();
    return true;
  };
  auto sink = [&](v1::Finding&&, v1::Classification&& c) -> Status {
    out.push_back(std::move(c));
    return Status::OK();
  };
  BatchOptions options;
  options.threads = threads;
  BatchStats stats;
  Status s = ClassifyBatch(engine, source, sink, options, &stats);
  if (!s.ok()) std::cerr << "xuncha: " << s.message() << "\n";
  if (failed != nullptr) *failed = static_cast<int64_t>(stats.failed);
  return out;
}

}  // namespace xuncha::cli
