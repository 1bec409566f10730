// Internal: a small streaming JSON writer for the tools' reports (see
// include/xuncha/tools.h). Output is pretty-printed with two-space indents
// and is deterministic: doubles are printed with at most six decimals.
// Thread-compatible.

#ifndef XUNCHA_TOOLS_JSON_WRITER_H_
#define XUNCHA_TOOLS_JSON_WRITER_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/tools.h"

namespace xuncha::tools_internal {

class JsonWriter {
 public:
  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }

  // An object key; the next call writes its value.
  JsonWriter& Key(std::string_view key) {
    Separate();
    AppendString(key);
    out_ += ": ";
    after_key_ = true;
    return *this;
  }
  JsonWriter& String(std::string_view s) {
    Separate();
    AppendString(s);
    return *this;
  }
  JsonWriter& Int(int64_t v) {
    Separate();
    out_ += std::to_string(v);
    return *this;
  }
  JsonWriter& Double(double v) {
    Separate();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    out_ += s;
    return *this;
  }
  JsonWriter& Bool(bool v) {
    Separate();
    out_ += v ? "true" : "false";
    return *this;
  }
  JsonWriter& StringArray(const std::vector<std::string>& items) {
    BeginArray();
    for (const std::string& s : items) String(s);
    return EndArray();
  }

  // The document, ending in a newline. REQUIRES: every container closed.
  std::string Finish() { return out_ + "\n"; }

 private:
  JsonWriter& Open(char c) {
    Separate();
    out_ += c;
    first_.push_back(true);
    return *this;
  }
  JsonWriter& Close(char c) {
    bool empty = first_.back();
    first_.pop_back();
    if (!empty) Newline();
    out_ += c;
    return *this;
  }
  void Newline() {
    out_ += '\n';
    out_.append(2 * first_.size(), ' ');
  }
  // Before a value or key: a comma and a newline inside containers, nothing
  // right after a key.
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    Newline();
  }
  void AppendString(std::string_view s) {
    out_ += '"';
    for (unsigned char c : s) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out_ += buf;
          } else {
            out_ += static_cast<char>(c);
          }
      }
    }
    out_ += '"';
  }

  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

// "key": {"name": …, "version": …, "hash": …}; nothing when unnamed.
inline void WriteRuleSet(JsonWriter& j, std::string_view key, const RuleSetInfo& info) {
  if (info.name.empty()) return;
  j.Key(key).BeginObject();
  j.Key("name").String(info.name);
  j.Key("version").String(info.version);
  j.Key("hash").String(info.hash);
  j.EndObject();
}

}  // namespace xuncha::tools_internal

#endif  // XUNCHA_TOOLS_JSON_WRITER_H_
