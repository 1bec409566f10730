#include "cli/patterns_local_io.h"

#include <fcntl.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "base/utf8.h"

namespace xuncha::cli {

namespace {

Status ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError("open " + path, errno);
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return Status::OK();
}

// Collects text-format parse errors with 1-based positions.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit ErrorCollector(std::string path) : path_(std::move(path)) {}
  void AddError(int line, int column, const std::string& message) override {
    if (!errors_.empty()) errors_ += "\n";
    errors_ += path_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) +
               ": error: " + message;
  }
  const std::string& errors() const { return errors_; }

 private:
  std::string path_;
  std::string errors_;
};

}  // namespace

StatusOr<std::vector<v1::ClassifiedFinding>> ReadClassifiedJsonl(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError("open " + path, errno);
  std::vector<v1::ClassifiedFinding> out;
  std::string line, errors;
  int bad = 0;
  google::protobuf::util::JsonParseOptions options;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // BOM
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    v1::ClassifiedFinding cf;
    auto status = google::protobuf::util::JsonStringToMessage(line, &cf, options);
    if (!status.ok()) {
      // Not a ClassifiedFinding: maybe a bare Finding.
      cf.Clear();
      auto as_finding = google::protobuf::util::JsonStringToMessage(line, cf.mutable_finding(), options);
      if (!as_finding.ok()) {
        if (++bad <= 20) {
          errors += path + ":" + std::to_string(n) + ": not a ClassifiedFinding (" +
                    std::string(status.message()) + ") nor a Finding (" +
                    std::string(as_finding.message()) + ")\n";
        }
        continue;
      }
    }
    out.push_back(std::move(cf));
  }
  if (in.bad()) return ErrnoError("read " + path, errno);
  if (bad > 0) {
    if (bad > 20) errors += "… and " + std::to_string(bad - 20) + " more\n";
    errors += path + ": " + std::to_string(bad) + " bad record(s)";
    return InvalidArgumentError(errors);
  }
  return out;
}

StatusOr<PatternRules> LoadPatternDefs(const std::string& path) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".textproto") {
        files.push_back(entry.path().string());
      }
    }
    if (ec) return InvalidArgumentError("list " + path + ": " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) return NotFoundError(path + ": no *.textproto files");
  } else {
    files.push_back(path);
  }
  PatternRules out;
  for (const std::string& file : files) {
    std::string text;
    XUNCHA_RETURN_IF_ERROR(ReadWholeFile(file, &text));
    v1::RuleSet set;
    google::protobuf::TextFormat::Parser parser;
    ErrorCollector errors(file);
    parser.RecordErrorsTo(&errors);
    if (!parser.ParseFromString(text, &set)) return InvalidArgumentError(errors.errors());
    for (const v1::PatternDef& d : set.pattern()) out.defs.push_back(d);
    if (!set.name().empty()) out.ref.set_name(set.name());
    if (!set.version().empty()) out.ref.set_version(set.version());
  }
  return out;
}

Status WriteFileAtomically(const std::string& path, const std::string& contents) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  std::string tmpl = dir + "/." + std::filesystem::path(path).filename().string() + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0) return ErrnoError("create temporary file in " + dir, errno);
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      unlink(name.data());
      return ErrnoError("write " + std::string(name.data()), e);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    int e = errno;
    unlink(name.data());
    return ErrnoError("sync " + std::string(name.data()), e);
  }
  if (rename(name.data(), path.c_str()) != 0) {
    int e = errno;
    unlink(name.data());
    return ErrnoError("rename to " + path, e);
  }
  return Status::OK();
}

std::string ToJson(const google::protobuf::Message& message, bool pretty) {
  // Through deterministic binary: the JSON printer renders map entries in
  // wire order, which is only sorted when serialization is deterministic.
  static auto* resolver = google::protobuf::util::NewTypeResolverForDescriptorPool(
      "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool());
  std::string binary;
  {
    google::protobuf::io::StringOutputStream stream(&binary);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = pretty;
  std::string json;
  auto status = google::protobuf::util::BinaryToJsonString(
      resolver, "type.googleapis.com/" + message.GetDescriptor()->full_name(), binary, &json,
      options);
  if (!status.ok()) return "{}";
  return json;
}

std::string RenderTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    if (row.size() > width.size()) width.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], utf8::DisplayWidth(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += i + 1 < row.size() ? utf8::PadRight(row[i], width[i]) + "  " : row[i];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace xuncha::cli
