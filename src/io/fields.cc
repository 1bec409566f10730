// Formats, RecordError and the field parsers of finding_io.h: amounts as
// exact fen, dates to ISO, source and counterparty kinds in three spellings.

#include <charconv>
#include <cstdio>
#include <string>

#include "base/utf8.h"
#include "xuncha/finding_io.h"

namespace xuncha {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  out.append(s);
  out += '"';
  return out;
}

bool ConsumeSuffix(std::string_view* s, std::string_view suffix) {
  if (s->size() >= suffix.size() && s->substr(s->size() - suffix.size()) == suffix) {
    s->remove_suffix(suffix.size());
    return true;
  }
  return false;
}

// Exact decimal → integer × 10^scale. Accepts an optional sign, thousands
// separators in the integer part (groups of three), at most `scale`
// fraction digits.
StatusOr<int64_t> ParseScaled(std::string_view original, int scale, std::string_view what) {
  std::string folded = utf8::FoldWidth(original);
  std::string_view s = TrimSpace(folded);
  auto bad = [&]() { return InvalidArgumentError(std::string(what) + ": " + Quoted(original)); };
  ConsumeSuffix(&s, "元");
  s = TrimSpace(s);
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return bad();
  std::string_view int_part = s, frac_part;
  bool has_point = false;
  if (size_t dot = s.find('.'); dot != std::string_view::npos) {
    int_part = s.substr(0, dot);
    frac_part = s.substr(dot + 1);
    has_point = true;
  }
  if (int_part.empty() || (has_point && frac_part.empty())) return bad();
  // Digits and well-placed commas in the integer part.
  std::string digits;
  bool has_comma = int_part.find(',') != std::string_view::npos;
  for (size_t i = 0; i < int_part.size(); ++i) {
    char c = int_part[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == ',' && has_comma) {
      size_t rest = int_part.size() - i - 1;  // digits after this comma
      if (i == 0 || rest % 4 != 3 || rest < 3) return bad();
    } else {
      return bad();
    }
  }
  if (has_comma) {
    // Every group after the first has exactly three digits.
    size_t first = int_part.find(',');
    if (first == 0 || first > 3) return bad();
    for (size_t i = first; i < int_part.size(); i += 4) {
      if (int_part[i] != ',') return bad();
    }
  }
  for (char c : frac_part) {
    if (c < '0' || c > '9') return bad();
  }
  if (frac_part.size() > static_cast<size_t>(scale)) {
    return InvalidArgumentError(std::string(what) + " with more than " + std::to_string(scale) +
                                " decimals: " + Quoted(original));
  }
  digits.append(frac_part);
  digits.append(static_cast<size_t>(scale) - frac_part.size(), '0');
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || ptr != digits.data() + digits.size() ||
      v > static_cast<uint64_t>(INT64_MAX)) {
    return InvalidArgumentError(std::string(what) + " out of range: " + Quoted(original));
  }
  int64_t out = static_cast<int64_t>(v);
  return negative ? -out : out;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

struct KindName {
  int value;
  std::string_view id;
  std::string_view chinese;
};

constexpr KindName kSourceKinds[] = {
    {v1::SOURCE_KIND_DOCUMENT_REVIEW, "document_review", "查阅资料"},
    {v1::SOURCE_KIND_INTERVIEW, "interview", "个别谈话"},
    {v1::SOURCE_KIND_SITE_VISIT, "site_visit", "实地走访"},
    {v1::SOURCE_KIND_SELF_CHECK, "self_check", "自查"},
    {v1::SOURCE_KIND_PETITION, "petition", "信访举报"},
    {v1::SOURCE_KIND_AUDIT, "audit", "审计"},
};

// Further Chinese spellings people use.
constexpr std::pair<std::string_view, int> kSourceAliases[] = {
    {"谈话", v1::SOURCE_KIND_INTERVIEW},        {"个别谈话", v1::SOURCE_KIND_INTERVIEW},
    {"查阅账目", v1::SOURCE_KIND_DOCUMENT_REVIEW}, {"查阅资料", v1::SOURCE_KIND_DOCUMENT_REVIEW},
    {"资料查阅", v1::SOURCE_KIND_DOCUMENT_REVIEW}, {"走访", v1::SOURCE_KIND_SITE_VISIT},
    {"下沉调研", v1::SOURCE_KIND_SITE_VISIT},   {"实地调研", v1::SOURCE_KIND_SITE_VISIT},
    {"单位自查", v1::SOURCE_KIND_SELF_CHECK},   {"信访", v1::SOURCE_KIND_PETITION},
    {"举报", v1::SOURCE_KIND_PETITION},         {"审计移交", v1::SOURCE_KIND_AUDIT},
};

constexpr KindName kCounterpartyKinds[] = {
    {v1::COUNTERPARTY_KIND_SUPPLIER, "supplier", "供应商"},
    {v1::COUNTERPARTY_KIND_CONTRACTOR, "contractor", "施工单位"},
    {v1::COUNTERPARTY_KIND_PERSON, "person", "个人"},
    {v1::COUNTERPARTY_KIND_AGENT, "agent", "招标代理"},
    {v1::COUNTERPARTY_KIND_OTHER, "other", "其他"},
};

constexpr std::pair<std::string_view, int> kCounterpartyAliases[] = {
    {"承包商", v1::COUNTERPARTY_KIND_CONTRACTOR},
    {"代理机构", v1::COUNTERPARTY_KIND_AGENT},
};

}  // namespace

// --- Formats ------------------------------------------------------------------

StatusOr<RecordFormat> ParseRecordFormat(std::string_view name) {
  std::string n = Lower(name);
  if (n == "jsonl" || n == "ndjson" || n == "json") return RecordFormat::kJsonLines;
  if (n == "binary" || n == "pb" || n == "binpb" || n == "bin") return RecordFormat::kBinary;
  if (n == "csv") return RecordFormat::kCsv;
  if (n == "auto") return RecordFormat::kAuto;
  return InvalidArgumentError("unknown format '" + std::string(name) +
                              "' (want jsonl, binary or csv)");
}

std::string_view RecordFormatName(RecordFormat format) {
  switch (format) {
    case RecordFormat::kJsonLines: return "jsonl";
    case RecordFormat::kBinary: return "binary";
    case RecordFormat::kCsv: return "csv";
    case RecordFormat::kAuto: break;
  }
  return "auto";
}

StatusOr<RecordFormat> FormatFromPath(std::string_view path) {
  if (path == "-") {
    return InvalidArgumentError("cannot tell the format of stdin/stdout");
  }
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) {
    return InvalidArgumentError("cannot tell the format of '" + std::string(path) +
                                "' without an extension");
  }
  std::string ext = Lower(base.substr(dot + 1));
  if (ext == "jsonl" || ext == "ndjson" || ext == "json") return RecordFormat::kJsonLines;
  if (ext == "pb" || ext == "binpb" || ext == "bin") return RecordFormat::kBinary;
  if (ext == "csv") return RecordFormat::kCsv;
  return InvalidArgumentError("unknown extension '." + ext + "' of '" + std::string(path) +
                              "' (want .jsonl .ndjson .json .pb .binpb .bin .csv)");
}

StatusOr<TextEncoding> ParseTextEncoding(std::string_view name) {
  std::string n = Lower(name);
  if (n == "utf8" || n == "utf-8") return TextEncoding::kUtf8;
  if (n == "gb18030" || n == "gbk" || n == "gb2312") return TextEncoding::kGb18030;
  if (n == "auto") return TextEncoding::kAuto;
  return InvalidArgumentError("unknown encoding '" + std::string(name) +
                              "' (want utf8, gb18030 or auto)");
}

std::string RecordError::ToString() const {
  std::string out = file;
  out += ":record ";
  out += std::to_string(record);
  if (line > 0) {
    out += " (line ";
    out += std::to_string(line);
    out += ')';
  }
  out += ": ";
  if (!field.empty()) {
    out += "field ";
    out += field;
    out += ": ";
  }
  out += message;
  return out;
}

// --- Field parsers ------------------------------------------------------------

StatusOr<int64_t> ParseYuanToFen(std::string_view text) {
  return ParseScaled(text, 2, "not an amount");
}

StatusOr<int64_t> ParseWanYuanToFen(std::string_view text) {
  return ParseScaled(text, 6, "not an amount");
}

std::string FormatFen(int64_t fen) {
  bool negative = fen < 0;
  uint64_t v = negative ? uint64_t(0) - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s%llu.%02llu", negative ? "-" : "",
                static_cast<unsigned long long>(v / 100),
                static_cast<unsigned long long>(v % 100));
  return buf;
}

StatusOr<std::string> ParseDate(std::string_view original) {
  std::string folded = utf8::FoldWidth(original);
  std::string_view s = TrimSpace(folded);
  auto bad = [&]() { return InvalidArgumentError("not a date: " + Quoted(original)); };
  // Excel sometimes appends a midnight time: "2024-03-05 00:00:00".
  if (size_t sp = s.find(' '); sp != std::string_view::npos) {
    std::string_view time = TrimSpace(s.substr(sp + 1));
    for (char c : time) {
      if (!((c >= '0' && c <= '9') || c == ':')) return bad();
    }
    s = s.substr(0, sp);
  }
  int parts[3] = {0, 0, 0};
  int count = 0;
  bool chinese = s.find("年") != std::string_view::npos;
  size_t i = 0;
  while (i < s.size() && count < 3) {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    size_t len = i - start;
    if (len == 0 || len > (count == 0 ? 4 : 2)) return bad();
    if (count == 0 && len != 4) return bad();
    std::from_chars(s.data() + start, s.data() + i, parts[count]);
    ++count;
    if (i == s.size()) break;
    std::string_view rest = s.substr(i);
    if (chinese) {
      static constexpr std::string_view kUnits[] = {"年", "月", "日"};
      std::string_view unit = kUnits[count - 1];
      if (rest.substr(0, unit.size()) != unit) return bad();
      i += unit.size();
    } else {
      if (count == 3 || (rest[0] != '-' && rest[0] != '/' && rest[0] != '.')) return bad();
      // The same separator throughout.
      if (count == 2 && s[i] != s[4]) return bad();
      ++i;
      if (i == s.size()) return bad();
    }
  }
  if (i != s.size()) return bad();
  if (chinese && count >= 1 && !(s.size() >= 3 && (s.substr(s.size() - 3) == "年" ||
                                                   s.substr(s.size() - 3) == "月" ||
                                                   s.substr(s.size() - 3) == "日"))) {
    return bad();
  }
  int y = parts[0], m = parts[1], d = parts[2];
  if (y < 1900 || y > 2200) return InvalidArgumentError("year out of range: " + Quoted(original));
  char buf[48];
  if (count == 1) {
    std::snprintf(buf, sizeof(buf), "%04d", y);
    return std::string(buf);
  }
  if (m < 1 || m > 12) return InvalidArgumentError("no such month: " + Quoted(original));
  if (count == 2) {
    std::snprintf(buf, sizeof(buf), "%04d-%02d", y, m);
    return std::string(buf);
  }
  if (d < 1 || d > DaysIn(y, m)) return InvalidArgumentError("no such day: " + Quoted(original));
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
  return std::string(buf);
}

StatusOr<v1::SourceKind> ParseSourceKind(std::string_view original) {
  std::string folded = utf8::FoldWidth(original);
  std::string_view s = TrimSpace(folded);
  std::string lower = Lower(s);
  v1::SourceKind kind;
  if (v1::SourceKind_Parse(std::string(s), &kind)) return kind;
  for (const KindName& k : kSourceKinds) {
    if (lower == k.id || s == k.chinese) return static_cast<v1::SourceKind>(k.value);
  }
  for (const auto& [name, value] : kSourceAliases) {
    if (s == name) return static_cast<v1::SourceKind>(value);
  }
  return InvalidArgumentError("unknown source kind: " + Quoted(original));
}

std::string_view SourceKindId(v1::SourceKind kind) {
  for (const KindName& k : kSourceKinds) {
    if (k.value == kind) return k.id;
  }
  return "";
}

std::string_view SourceKindChinese(v1::SourceKind kind) {
  for (const KindName& k : kSourceKinds) {
    if (k.value == kind) return k.chinese;
  }
  return "";
}

StatusOr<v1::CounterpartyKind> ParseCounterpartyKind(std::string_view original) {
  std::string folded = utf8::FoldWidth(original);
  std::string_view s = TrimSpace(folded);
  std::string lower = Lower(s);
  v1::CounterpartyKind kind;
  if (v1::CounterpartyKind_Parse(std::string(s), &kind)) return kind;
  for (const KindName& k : kCounterpartyKinds) {
    if (lower == k.id || s == k.chinese) return static_cast<v1::CounterpartyKind>(k.value);
  }
  for (const auto& [name, value] : kCounterpartyAliases) {
    if (s == name) return static_cast<v1::CounterpartyKind>(value);
  }
  return InvalidArgumentError("unknown counterparty kind: " + Quoted(original));
}

std::string_view CounterpartyKindId(v1::CounterpartyKind kind) {
  for (const KindName& k : kCounterpartyKinds) {
    if (k.value == kind) return k.id;
  }
  return "";
}

std::string_view CounterpartyKindChinese(v1::CounterpartyKind kind) {
  for (const KindName& k : kCounterpartyKinds) {
    if (k.value == kind) return k.chinese;
  }
  return "";
}

}  // namespace xuncha
