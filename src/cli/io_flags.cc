#include "cli/io_flags.h"

#include <sys/stat.h>

#include <iostream>

#include "cli/progress.h"

namespace xuncha::cli {

std::vector<FlagSpec> FindingInputFlags() {
  return {{"from", true},    {"encoding", true},         {"columns", true},
          {"rejects", true}, {"max-record-bytes", true}, {"allow-duplicate-ids", false}};
}

bool FindingInputs::FromArgs(const Args& args, std::string_view command, std::string_view usage,
                             int* exit_code) {
  auto fail = [&](const std::string& message) {
    std::cerr << "xuncha " << command << ": " << message << "\n\n" << usage;
    *exit_code = kExitUsage;
    return false;
  };
  paths = args.positional();
  if (paths.empty()) return fail("no input files");
  if (auto from = args.Get("from")) {
    auto f = ParseRecordFormat(*from);
    if (!f.ok()) return fail(f.status().message());
    options.format = *f;
  }
  if (options.format == RecordFormat::kAuto) {
    for (const std::string& p : paths) {
      auto f = FormatFromPath(p);
      if (!f.ok()) return fail(f.status().message() + "; name the format with --from");
    }
  }
  if (auto enc = args.Get("encoding")) {
    auto e = ParseTextEncoding(*enc);
    if (!e.ok()) return fail(e.status().message());
    options.encoding = *e;
  }
  std::string error;
  if (auto n = args.GetInt("max-record-bytes", &error); n) {
    if (*n <= 0) return fail("--max-record-bytes must be positive");
    options.max_record_bytes = static_cast<size_t>(*n);
  } else if (!error.empty()) {
    return fail(error);
  }
  if (auto cols = args.Get("columns")) {
    auto c = CsvColumns::LoadFile(*cols);
    if (!c.ok()) return fail(c.status().message());
    columns = std::move(*c);
    options.columns = &*columns;
  }
  options.reject_duplicate_ids = !args.Has("allow-duplicate-ids");
  options.seen_ids = &seen_ids;
  if (auto r = args.Get("rejects")) {
    auto w = RejectsWriter::Open(*r);
    if (!w.ok()) {
      std::cerr << "xuncha " << command << ": " << w.status().message() << "\n";
      *exit_code = kExitFailed;
      return false;
    }
    rejects = std::move(*w);
    options.rejects = rejects.get();
  }
  return true;
}

FindingStream::FindingStream(FindingInputs* inputs, std::string_view label)
    : inputs_(inputs), label_(label), options_(inputs->options) {
  int64_t total_bytes = 0;
  for (const std::string& p : inputs->paths) {
    struct stat st;
    if (p == "-" || ::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      total_bytes = -1;
      break;
    }
    total_bytes += st.st_size;
  }
  progress_ = std::make_unique<Progress>(label_, total_bytes, StderrIsTerminal());
  options_.on_error = [this](const RecordError& e) {
    progress_->Finish();
    std::cerr << e.ToString() << "\n";
  };
}

FindingStream::~FindingStream() { Finish(); }

void FindingStream::Finish() { progress_->Finish(); }

void FindingStream::CloseReader() {
  FindingReader& r = *reader_;
  if (!r.status().ok()) {
    progress_->Finish();
    std::cerr << "xuncha " << label_ << ": " << r.status().message() << "\n";
    ++summary_.failed_files;
  }
  summary_.counts.read += r.counts().read;
  summary_.counts.ok += r.counts().ok;
  summary_.counts.rejected += r.counts().rejected;
  bytes_before_ += r.bytes_read();
  reader_.reset();
}

bool FindingStream::Next(v1::Finding* finding) {
  for (;;) {
    if (reader_ == nullptr) {
      if (next_path_ >= inputs_->paths.size()) return false;
      const std::string& path = inputs_->paths[next_path_++];
      ++summary_.files;
      auto reader = FindingReader::Open(path, options_);
      if (!reader.ok()) {
        progress_->Finish();
        std::cerr << "xuncha " << label_ << ": " << reader.status().message() << "\n";
        ++summary_.failed_files;
        continue;
      }
      reader_ = std::move(*reader);
    }
    if (reader_->Next(finding)) {
      progress_->Update(summary_.counts.read + reader_->counts().read,
                        bytes_before_ + reader_->bytes_read());
      return true;
    }
    CloseReader();
  }
}

ReadSummary ReadFindings(FindingInputs* inputs, std::string_view label,
                         const std::function<bool(const v1::Finding&, FindingReader&)>& sink) {
  FindingStream stream(inputs, label);
  v1::Finding finding;
  while (stream.Next(&finding)) {
    if (!sink(finding, *stream.reader())) break;
  }
  stream.Finish();
  // A reader left open by an early stop still counts what it read.
  ReadSummary summary = stream.summary();
  if (FindingReader* r = stream.reader()) {
    summary.counts.read += r->counts().read;
    summary.counts.ok += r->counts().ok;
    summary.counts.rejected += r->counts().rejected;
  }
  return summary;
}

}  // namespace xuncha::cli
