// The lifecycle transition table of DOMAIN.md §4, in one place, and the
// small vocabularies of the ledger (escalation and disclosure levels, time).
//
// Design note: the table is deliberately strict. A problem is verified before
// it is confirmed (draft -> verifying), a rectification is claimed by the
// principal before it is assigned, and written_off (销号 as unfounded) is
// final: new evidence is a new finding. Two backward edges exist because the
// work goes back: overdue -> in_progress is an extension (延期) and
// submitted -> in_progress is a failed acceptance (验收未通过). closed ->
// reopened is 回头看; a reopened entry is assigned again or goes straight
// back to work. Leads leave the rectification track at confirmed.

#include <cstdio>
#include <ctime>
#include <map>
#include <string>

#include "xuncha/ledger.h"
#include "xuncha/taxonomy.h"

namespace xuncha {

namespace {

struct Edge {
  std::string_view from;
  std::vector<std::string_view> to;
};

const std::vector<Edge>& Table() {
  static const auto* t = new std::vector<Edge>{
      {"draft", {"verifying"}},
      {"verifying", {"written_off", "confirmed"}},
      {"written_off", {}},
      {"confirmed", {"claimed", "transferred"}},
      {"claimed", {"assigned"}},
      {"assigned", {"in_progress"}},
      {"in_progress", {"overdue", "submitted"}},
      {"overdue", {"in_progress", "submitted"}},
      {"submitted", {"in_progress", "accepted"}},
      {"accepted", {"closed"}},
      {"closed", {"reopened"}},
      {"reopened", {"assigned", "in_progress"}},
      {"transferred", {"feedback_received"}},
      {"feedback_received", {"closed"}},
  };
  return *t;
}

std::string Named(std::string_view id) {
  std::string s = "「";
  s += LifecycleStateName(id);
  s += "」(";
  s += id;
  s += ")";
  return s;
}

}  // namespace

const std::vector<std::string_view>& AllowedNextStates(std::string_view from) {
  static const std::vector<std::string_view> kNone;
  for (const Edge& e : Table()) {
    if (e.from == from) return e.to;
  }
  return kNone;
}

Status CheckTransition(std::string_view from, std::string_view to) {
  if (!IsLifecycleState(from)) {
    return InvalidArgumentError("未知状态「" + std::string(from) + "」 / unknown state '" +
                                std::string(from) + "'");
  }
  if (!IsLifecycleState(to)) {
    return InvalidArgumentError("未知目标状态「" + std::string(to) + "」 / unknown state '" +
                                std::string(to) + "'");
  }
  const std::vector<std::string_view>& next = AllowedNextStates(from);
  for (std::string_view n : next) {
    if (n == to) return Status::OK();
  }
  std::string zh = "不允许的状态转换：从" + Named(from) + "到" + Named(to) + "；允许的下一状态：";
  std::string en = "transition not allowed: " + std::string(from) + " -> " + std::string(to) +
                   "; allowed next states: ";
  if (next.empty()) {
    zh += "无（终态）";
    en += "none (final state)";
  }
  for (size_t i = 0; i < next.size(); ++i) {
    if (i > 0) {
      zh += "、";
      en += ", ";
    }
    zh += Named(next[i]);
    en += next[i];
  }
  return FailedPreconditionError(zh + " / " + en);
}

const std::vector<TaxonomyEntry>& EscalationLevels() {
  static const auto* v = new std::vector<TaxonomyEntry>{
      {"supervise", "督办"}, {"remind", "提醒"}, {"warn", "告诫"}, {"accountability", "问责"}};
  return *v;
}

const std::vector<TaxonomyEntry>& DisclosureLevels() {
  static const auto* v = new std::vector<TaxonomyEntry>{
      {"public", "社会公开"}, {"internal", "党内"}, {"withheld", "不公开"}};
  return *v;
}

bool IsDisclosureLevel(std::string_view id) {
  for (const TaxonomyEntry& e : DisclosureLevels()) {
    if (e.id == id) return true;
  }
  return false;
}

std::string_view DisclosureName(std::string_view id) {
  for (const TaxonomyEntry& e : DisclosureLevels()) {
    if (e.id == id) return e.name;
  }
  return id;
}

bool VisibleTo(std::string_view entry_level, std::string_view audience) {
  auto rank = [](std::string_view id) {
    if (id == "public") return 0;
    if (id == "withheld") return 2;
    return 1;  // internal, and empty
  };
  return rank(entry_level) <= rank(audience);
}

std::string FormatUtc(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Clock FixedClock(std::string_view iso) {
  std::tm tm{};
  int y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0;
  std::string copy(iso);
  std::sscanf(copy.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s);
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  auto t = std::chrono::system_clock::from_time_t(timegm(&tm));
  return [t] { return t; };
}

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  if (m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

}  // namespace xuncha
