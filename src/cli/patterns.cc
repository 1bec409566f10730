// xuncha patterns: cross-unit patterns and the common-problems list of a
// round's classified findings.

#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "cli/command.h"
#include "cli/classified_io.h"
#include "cli/patterns_local_io.h"
#include "cli/rules_arg.h"
#include "xuncha/patterns.h"
#include "xuncha/taxonomy.h"

namespace xuncha::cli {
namespace {

constexpr char kPatternsUsage[] =
    "usage: xuncha patterns [--rules RULES] CLASSIFIED.jsonl... [--previous EARLIER.jsonl]...\n"
    "                       [--inspected UNITS.txt] [-o OUT.jsonl|OUT.json] [--format table|json]\n"
    "\n"
    "Finds cross-unit patterns (普遍性、集中性、屡查屡犯、共同相对方、表述雷同、异常单位、\n"
    "化整为零) in classified findings and lists the common problems (共性问题清单).\n"
    "\n"
    "  CLASSIFIED.jsonl   JSON Lines of ClassifiedFinding (or bare Finding, unclassified)\n"
    "  --rules RULES      a rule-set textproto, or a directory of them, whose `pattern`\n"
    "                     entries define the patterns; default: the built-in definitions\n"
    "  --previous FILE    earlier rounds' classified output (JSON Lines, repeatable), for\n"
    "                     recurrence; a finding counts as rectified when attrs[\"整改状态\"]\n"
    "                     is 已整改/已完成/整改完成/已销号/closed/accepted or it is tagged\n"
    "                     \"rectified\"\n"
    "  --inspected FILE   unit ids inspected this round, one per line (for the share of\n"
    "                     units); default: the units in the input\n"
    "  -o, --output OUT   .jsonl: one Pattern per line; otherwise the whole PatternReport\n"
    "                     as JSON. Written atomically.\n"
    "  --format F         without -o: table (default, Chinese) or json\n"
    "\n"
    "exit status: 0 success; 1 bad input or failure; 2 usage error\n";

std::string KindName(v1::PatternKind kind) {
  switch (kind) {
    case v1::PATTERN_KIND_WIDESPREAD: return "普遍性";
    case v1::PATTERN_KIND_CONCENTRATED: return "集中性";
    case v1::PATTERN_KIND_RECURRING: return "屡查屡犯";
    case v1::PATTERN_KIND_SHARED_COUNTERPARTY: return "共同相对方";
    case v1::PATTERN_KIND_NEAR_DUPLICATE: return "表述雷同";
    case v1::PATTERN_KIND_OUTLIER_UNIT: return "异常单位";
    case v1::PATTERN_KIND_SPLIT_PURCHASE: return "化整为零";
    default: return "未知";
  }
}

std::string SeverityName(const std::string& s) {
  if (s == "high") return "高";
  if (s == "medium") return "中";
  if (s == "low") return "低";
  return s;
}

std::string Yuan(int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  uint64_t v = fen < 0 ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  char frac[4];
  std::snprintf(frac, sizeof frac, "%02u", static_cast<unsigned>(v % 100));
  return sign + std::to_string(v / 100) + "." + frac;
}

std::string RenderReport(const v1::PatternReport& report) {
  std::string out = "巡察问题模式分析（受检单位" + std::to_string(report.units_inspected()) +
                    "个，问题" + std::to_string(report.findings()) + "项；发现模式" +
                    std::to_string(report.patterns_size()) + "项）\n\n";
  if (report.patterns_size() > 0) {
    std::vector<std::vector<std::string>> rows = {
        {"序号", "类型", "严重程度", "单位数", "问题数", "说明"}};
    int n = 0;
    for (const v1::Pattern& p : report.patterns()) {
      rows.push_back({std::to_string(++n), KindName(p.kind()), SeverityName(p.severity()),
                      std::to_string(p.unit_ids_size()), std::to_string(p.finding_ids_size()),
                      p.summary()});
    }
    out += RenderTable(rows);
  } else {
    out += "未发现符合条件的模式。\n";
  }
  out += "\n共性问题清单（" + std::to_string(report.common_problems_size()) + "项）\n\n";
  if (report.common_problems_size() > 0) {
    std::vector<std::vector<std::string>> rows = {
        {"序号", "问题类别", "问题子类", "单位数", "问题数", "涉及金额(元)", "建议整改措施"}};
    int n = 0;
    for (const v1::CommonProblem& c : report.common_problems()) {
      rows.push_back({std::to_string(++n), std::string(CategoryName(c.category())),
                      c.subcategory().empty() ? "-"
                                              : std::string(SubcategoryName(c.category(), c.subcategory())),
                      std::to_string(c.unit_ids_size()), std::to_string(c.count()),
                      Yuan(c.amount().fen()), c.suggested_fix()});
    }
    out += RenderTable(rows);
  } else {
    out += "无。\n";
  }
  return out;
}

StatusOr<std::vector<std::string>> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return ErrnoError("open " + path, errno);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t b = line.find_first_not_of(" \t"), e = line.find_last_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    out.push_back(line.substr(b, e - b + 1));
  }
  return out;
}

int RunPatterns(const std::vector<std::string>& argv) {
  const Command& self = Commands().at("patterns");
  Args args;
  int exit_code = kExitOk;
  if (!ParseOrExplain(self, argv,
                      {{"rules", true}, {"previous", true, true}, {"inspected", true},
                       {"output", true}, {"format", true}},
                      &args, &exit_code)) {
    return exit_code;
  }
  if (args.positional().empty()) {
    std::cerr << "xuncha patterns: no classified findings given\n\n" << kPatternsUsage;
    return kExitUsage;
  }
  const std::string format = args.GetOr("format", "table");
  if (format != "table" && format != "json") {
    std::cerr << "xuncha patterns: --format must be table or json, not '" << format << "'\n";
    return kExitUsage;
  }
  auto fail = [](const Status& s) {
    std::cerr << "xuncha patterns: " << s.message() << "\n";
    return kExitFailed;
  };

  PatternRules rules;
  if (auto path = args.Get("rules")) {
    // The whole rule set is compiled, so pattern definitions get the same
    // diagnostics (path:line:col) as rules.
    auto engine = CompileRulesForCli("patterns", {*path});
    if (engine == nullptr) return kExitFailed;
    rules.defs.assign(engine->rule_set().pattern().begin(), engine->rule_set().pattern().end());
    rules.ref.set_name(engine->name());
    rules.ref.set_version(engine->version());
    rules.ref.set_hash(engine->hash());
    if (rules.defs.empty()) {
      std::cerr << "xuncha patterns: " << *path << " defines no patterns; using the built-in ones\n";
    }
  }
  StatusOr<AccumulatorOptions> options =
      AccumulatorOptions::ForDefs(rules.defs.empty() ? DefaultPatternDefs() : rules.defs);
  if (!options.ok()) return fail(options.status());
  PatternAccumulator acc(*options);
  for (const std::string& path : args.positional()) {
    std::vector<v1::ClassifiedFinding> findings_store;
    if (Status s = ReadClassified(path, &findings_store); !s.ok()) return fail(s);
    const auto* findings = &findings_store;
    for (const v1::ClassifiedFinding& f : *findings) acc.Add(f);
  }
  std::vector<PreviousRecord> previous;
  for (const std::string& path : args.GetAll("previous")) {
    std::vector<v1::ClassifiedFinding> earlier_store;
    if (Status s = ReadClassified(path, &earlier_store); !s.ok()) return fail(s);
    const auto* earlier = &earlier_store;
    for (PreviousRecord& r : PreviousRecordsFromClassified(*earlier)) previous.push_back(std::move(r));
  }
  FinishOptions finish;
  if (auto path = args.Get("inspected")) {
    StatusOr<std::vector<std::string>> ids = ReadLines(*path);
    if (!ids.ok()) return fail(ids.status());
    finish.inspected_unit_ids = std::move(*ids);
  }
  StatusOr<v1::PatternReport> report = acc.Finish(rules.defs, previous, finish);
  if (!report.ok()) return fail(report.status());
  *report->mutable_rule_set() = rules.ref;

  if (auto out = args.Get("output")) {
    std::string contents;
    if (out->size() >= 6 && out->compare(out->size() - 6, 6, ".jsonl") == 0) {
      for (const v1::Pattern& p : report->patterns()) contents += ToJson(p, false) + "\n";
    } else {
      contents = ToJson(*report, true) + "\n";
    }
    Status s = WriteWholeFile(*out, contents);
    if (!s.ok()) return fail(s);
    std::cerr << "xuncha patterns: " << report->patterns_size() << " pattern(s), "
              << report->common_problems_size() << " common problem(s) -> " << *out << "\n";
    return kExitOk;
  }
  std::cout << (format == "json" ? ToJson(*report, true) + "\n" : RenderReport(*report));
  return kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(patterns, "find cross-unit patterns and the common-problems list",
                   kPatternsUsage, RunPatterns);

}  // namespace xuncha::cli
