#include "io/csv.h"

#include <cerrno>

namespace xuncha::io_internal {

void CsvScanner::Feed(std::string_view bytes) {
  if (bytes.empty()) return;
  last_ = bytes.back();
  State state = state_;
  for (char c : bytes) {
    switch (state) {
      case kStart:
        state = c == '"' ? kQuoted : (c == ',' || c == '\n') ? kStart : kUnquoted;
        break;
      case kUnquoted:
        if (c == ',' || c == '\n') state = kStart;
        break;
      case kQuoted:
        if (c == '"') state = kQuoteInQuoted;
        break;
      case kQuoteInQuoted:
        state = c == '"' ? kQuoted : (c == ',' || c == '\n') ? kStart : kUnquoted;
        break;
    }
  }
  state_ = state;
}

bool SplitCsvRecord(std::string_view raw, std::vector<std::string>* fields, std::string* error) {
  // Drop the record's own terminator; newlines inside quotes stay.
  if (!raw.empty() && raw.back() == '\n') raw.remove_suffix(1);
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  fields->clear();
  fields->emplace_back();
  enum { kStart, kUnquoted, kQuoted, kAfterQuote } state = kStart;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    std::string& f = fields->back();
    switch (state) {
      case kStart:
        if (c == '"') {
          state = kQuoted;
          break;
        }
        state = kUnquoted;
        [[fallthrough]];
      case kUnquoted:
        if (c == ',') {
          fields->emplace_back();
          state = kStart;
        } else if (c == '"') {
          *error = "bad CSV quoting: quote inside unquoted field " + std::to_string(fields->size());
          return false;
        } else {
          f += c;
        }
        break;
      case kQuoted:
        if (c == '"') {
          if (i + 1 < raw.size() && raw[i + 1] == '"') {
            f += '"';
            ++i;
          } else {
            state = kAfterQuote;
          }
        } else {
          f += c;
        }
        break;
      case kAfterQuote:
        if (c == ',') {
          fields->emplace_back();
          state = kStart;
        } else {
          *error = "bad CSV quoting: text after closing quote in field " +
                   std::to_string(fields->size());
          return false;
        }
        break;
    }
  }
  if (state == kQuoted) {
    *error = "bad CSV quoting: quoted field " + std::to_string(fields->size()) +
             " not closed before end of input";
    return false;
  }
  return true;
}

void AppendCsvField(std::string_view field, std::string* out) {
  bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

Converter::Converter(const char* from, const char* to) : cd_(iconv_open(to, from)) {}

Converter::~Converter() {
  if (ok()) iconv_close(cd_);
}

bool Converter::Convert(std::string_view in, std::string* out, size_t* bad_offset) {
  out->clear();
  iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // reset shift state
  char* inp = const_cast<char*>(in.data());
  size_t inleft = in.size();
  char buf[4096];
  while (inleft > 0) {
    char* outp = buf;
    size_t outleft = sizeof(buf);
    size_t rc = iconv(cd_, &inp, &inleft, &outp, &outleft);
    out->append(buf, static_cast<size_t>(outp - buf));
    if (rc == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      *bad_offset = static_cast<size_t>(inp - in.data());
      return false;
    }
  }
  char* outp = buf;
  size_t outleft = sizeof(buf);
  iconv(cd_, nullptr, nullptr, &outp, &outleft);
  out->append(buf, static_cast<size_t>(outp - buf));
  return true;
}

}  // namespace xuncha::io_internal
