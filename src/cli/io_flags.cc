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

ReadSummary ReadFindings(FindingInputs* inputs, std::string_view label,
                         const std::function<bool(const v1::Finding&, FindingReader&)>& sink) {
  ReadSummary summary;
  int64_t total_bytes = 0;
  for (const std::string& p : inputs->paths) {
    struct stat st;
    if (p == "-" || ::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      total_bytes = -1;
      break;
    }
    total_bytes += st.st_size;
  }
  Progress progress(std::string(label), total_bytes, StderrIsTerminal());
  ReadOptions options = inputs->options;
  options.on_error = [&](const RecordError& e) {
    progress.Finish();
    std::cerr << e.ToString() << "\n";
  };
  int64_t bytes_before = 0;
  bool stop = false;
  for (const std::string& path : inputs->paths) {
    ++summary.files;
    auto reader = FindingReader::Open(path, options);
    if (!reader.ok()) {
      progress.Finish();
      std::cerr << "xuncha " << label << ": " << reader.status().message() << "\n";
      ++summary.failed_files;
      continue;
    }
    FindingReader& r = **reader;
    v1::Finding finding;
    while (r.Next(&finding)) {
      if (!sink(finding, r)) {
        stop = true;
        break;
      }
      progress.Update(summary.counts.read + r.counts().read, bytes_before + r.bytes_read());
    }
    if (!r.status().ok()) {
      progress.Finish();
      std::cerr << "xuncha " << label << ": " << r.status().message() << "\n";
      ++summary.failed_files;
    }
    summary.counts.read += r.counts().read;
    summary.counts.ok += r.counts().ok;
    summary.counts.rejected += r.counts().rejected;
    bytes_before += r.bytes_read();
    if (stop) break;
  }
  progress.Finish();
  return summary;
}

}  // namespace xuncha::cli
