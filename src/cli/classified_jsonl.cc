#include "cli/classified_jsonl.h"

#include <cerrno>
#include <fstream>
#include <iostream>

#include <google/protobuf/util/json_util.h>

namespace xuncha::cli {

Status ReadClassifiedJsonl(const std::string& path, std::vector<v1::ClassifiedFinding>* out) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return ErrnoError("open " + path, errno);
    in = &file;
  }
  std::string line;
  int64_t lineno = 0;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  while (std::getline(*in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (lineno == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    v1::ClassifiedFinding cf;
    auto st = google::protobuf::util::JsonStringToMessage(line, &cf, options);
    if (!st.ok()) {
      return InvalidArgumentError(path + ":" + std::to_string(lineno) + ": " +
                                  std::string(st.message()));
    }
    out->push_back(std::move(cf));
  }
  if (in->bad()) return ErrnoError("read " + path, errno);
  return Status::OK();
}

}  // namespace xuncha::cli
