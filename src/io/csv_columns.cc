// CsvColumns: CSV header titles → Finding field paths (finding_io.h).

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "base/utf8.h"
#include "io/csv_internal.h"
#include "xuncha/finding_io.h"

namespace xuncha {

namespace {

constexpr std::string_view kFieldPaths[] = {
    "id",
    "round",
    "text",
    "occurred_on",
    "found_on",
    "source",
    "inspector_team",
    "tags",
    "counterparties",
    "counterparties.id",
    "counterparties.kind",
    "unit.id",
    "unit.name",
    "unit.parent_id",
    "unit.kind",
    "unit.business_line",
    "unit.headcount",
    "amount",
    "amount.wan",
    "evidence.id",
    "evidence.kind",
    "evidence.description",
    "evidence.uri",
    "attrs",
};

// Chinese titles people use, after width folding. The first title of each
// field is the one the CSV writer uses (io/csv_internal.h).
constexpr std::pair<std::string_view, std::string_view> kChineseTitles[] = {
    {"问题编号", "id"},
    {"编号", "id"},
    {"轮次", "round"},
    {"巡察轮次", "round"},
    {"问题描述", "text"},
    {"问题内容", "text"},
    {"问题表述", "text"},
    {"具体问题", "text"},
    {"发生日期", "occurred_on"},
    {"发生时间", "occurred_on"},
    {"发现日期", "found_on"},
    {"发现时间", "found_on"},
    {"问题来源", "source"},
    {"来源", "source"},
    {"发现方式", "source"},
    {"巡察组", "inspector_team"},
    {"巡察小组", "inspector_team"},
    {"标签", "tags"},
    {"对方单位", "counterparties"},
    {"对方单位/供应商", "counterparties"},
    {"对方单位名称", "counterparties"},
    {"供应商", "counterparties"},
    {"涉及单位", "counterparties"},
    {"对方单位代码", "counterparties.id"},
    {"统一社会信用代码", "counterparties.id"},
    {"对方单位类型", "counterparties.kind"},
    {"单位编号", "unit.id"},
    {"单位代码", "unit.id"},
    {"被巡察单位编号", "unit.id"},
    {"被巡察单位", "unit.name"},
    {"被巡察单位名称", "unit.name"},
    {"单位名称", "unit.name"},
    {"上级单位编号", "unit.parent_id"},
    {"单位类型", "unit.kind"},
    {"业务板块", "unit.business_line"},
    {"单位人数", "unit.headcount"},
    {"职工人数", "unit.headcount"},
    {"涉及金额(元)", "amount"},
    {"金额(元)", "amount"},
    {"问题金额(元)", "amount"},
    {"金额", "amount"},
    {"涉及金额", "amount"},
    {"涉及金额(万元)", "amount.wan"},
    {"金额(万元)", "amount.wan"},
    {"问题金额(万元)", "amount.wan"},
    {"佐证材料编号", "evidence.id"},
    {"佐证材料类型", "evidence.kind"},
    {"佐证材料说明", "evidence.description"},
    {"佐证材料链接", "evidence.uri"},
    {"其他属性", "attrs"},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

namespace io_internal {

std::string NormalizeTitle(std::string_view title) {
  std::string folded = utf8::FoldWidth(title);
  std::string out;
  out.reserve(folded.size());
  for (char c : folded) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;  // "金额 (元)"
    out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

std::string_view ChineseTitle(std::string_view field_path) {
  for (const auto& [title, path] : kChineseTitles) {
    if (path == field_path) return title;
  }
  return field_path;
}

}  // namespace io_internal

bool CsvColumns::IsFieldPath(std::string_view path) {
  if (path.substr(0, 6) == "attrs." && path.size() > 6) return true;
  for (std::string_view p : kFieldPaths) {
    if (p == path) return true;
  }
  return false;
}

const CsvColumns& CsvColumns::Builtin() {
  static const CsvColumns* builtin = [] {
    auto* c = new CsvColumns();
    for (std::string_view p : kFieldPaths) c->by_title_[std::string(p)] = std::string(p);
    for (const auto& [title, path] : kChineseTitles) {
      c->by_title_[io_internal::NormalizeTitle(title)] = std::string(path);
    }
    return c;
  }();
  return *builtin;
}

Status CsvColumns::Add(std::string_view title, std::string_view field_path) {
  if (!IsFieldPath(field_path)) {
    return InvalidArgumentError("unknown field '" + std::string(field_path) + "'");
  }
  std::string key = io_internal::NormalizeTitle(title);
  if (key.empty()) return InvalidArgumentError("empty column title");
  by_title_[key] = std::string(field_path);
  return Status::OK();
}

std::string CsvColumns::Lookup(std::string_view title) const {
  auto it = by_title_.find(io_internal::NormalizeTitle(title));
  return it == by_title_.end() ? std::string() : it->second;
}

StatusOr<CsvColumns> CsvColumns::Parse(std::string_view text, std::string_view name) {
  CsvColumns columns = Builtin();
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto where = [&]() { return std::string(name) + ":" + std::to_string(line_no) + ": "; };
    if (!utf8::IsValid(line)) return InvalidArgumentError(where() + "not UTF-8");
    size_t eq = line.rfind('=');
    if (eq == std::string_view::npos) {
      return InvalidArgumentError(where() + "expected 'column title = field', got '" +
                                  std::string(line) + "'");
    }
    std::string_view title = Trim(line.substr(0, eq));
    std::string_view path = Trim(line.substr(eq + 1));
    Status s = columns.Add(title, path);
    if (!s.ok()) return InvalidArgumentError(where() + s.message());
  }
  return columns;
}

StatusOr<CsvColumns> CsvColumns::LoadFile(std::string_view path_view) {
  std::string path(path_view);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open " + path, errno);
  std::string text;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return ErrnoError("read " + path, e);
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > (1 << 20)) {
      ::close(fd);
      return InvalidArgumentError(path + ": column mapping file over 1 MiB");
    }
  }
  ::close(fd);
  return Parse(text, path);
}

}  // namespace xuncha
