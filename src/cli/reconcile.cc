// xuncha reconcile: aligns the inspection team's and the unit's independently
// written finding lists (背靠背) and prints the agenda of the face-to-face
// meeting (面对面).

#include <iostream>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "cli/command.h"
#include "cli/classified_io.h"
#include "cli/patterns_local_io.h"
#include "xuncha/reconcile.h"

namespace xuncha::cli {
namespace {

StatusOr<std::vector<v1::ClassifiedFinding>> ReadAll(const std::string& path) {
  std::vector<v1::ClassifiedFinding> out;
  XUNCHA_RETURN_IF_ERROR(ReadClassified(path, &out));
  return out;
}

constexpr char kReconcileUsage[] =
    "usage: xuncha reconcile INSPECTORS.jsonl UNIT.jsonl [-o OUT.json] [--format table|json]\n"
    "                        [--threshold SCORE]\n"
    "\n"
    "Aligns the inspection team's findings with the unit's own list, one to one, within\n"
    "each unit (背靠背 -> 面对面): matched pairs with their confidence and reasons, items\n"
    "only one side listed, and pairs the two sides qualify differently.\n"
    "\n"
    "  INSPECTORS, UNIT   JSON Lines of Finding or ClassifiedFinding\n"
    "  -o, --output OUT   the Reconciliation as JSON, written atomically\n"
    "  --format F         without -o: table (default, Chinese) or json\n"
    "  --threshold S      minimum score of a match, 0..1 (default 0.30)\n"
    "\n"
    "exit status: 0 success; 1 bad input or failure; 2 usage error\n";

std::string Render(const v1::Reconciliation& r) {
  std::string out = "背靠背比对结果（巡察组" + std::to_string(r.inspector_findings()) + "项，单位" +
                    std::to_string(r.unit_findings()) + "项；对应" +
                    std::to_string(r.matches_size()) + "对，巡察组单列" +
                    std::to_string(r.inspector_only_size()) + "项，单位单列" +
                    std::to_string(r.unit_only_size()) + "项，定性不一致" +
                    std::to_string(r.category_disagreements_size()) + "对）\n\n";
  if (r.matches_size() > 0) {
    std::vector<std::vector<std::string>> rows = {{"单位", "巡察组", "单位自查", "匹配度", "依据"}};
    for (const v1::ReconcileMatch& m : r.matches()) {
      std::string reasons;
      for (const std::string& reason : m.reasons()) {
        // "code 中文": show the Chinese part.
        size_t space = reason.find(' ');
        if (!reasons.empty()) reasons += "、";
        reasons += space == std::string::npos ? reason : reason.substr(space + 1);
      }
      char conf[16];
      std::snprintf(conf, sizeof conf, "%.2f", m.confidence());
      rows.push_back({m.unit_id(), m.inspector_finding_id(), m.unit_finding_id(), conf, reasons});
    }
    out += RenderTable(rows);
  }
  out += "\n面对面沟通议题（" + std::to_string(r.agenda_size()) + "项）\n\n";
  if (r.agenda_size() > 0) {
    std::vector<std::vector<std::string>> rows = {{"序号", "单位", "巡察组", "单位自查", "议题"}};
    int n = 0;
    for (const v1::AgendaItem& a : r.agenda()) {
      rows.push_back({std::to_string(++n), a.unit_id(),
                      a.inspector_finding_id().empty() ? "-" : a.inspector_finding_id(),
                      a.unit_finding_id().empty() ? "-" : a.unit_finding_id(), a.note()});
    }
    out += RenderTable(rows);
  } else {
    out += "无。\n";
  }
  return out;
}

int RunReconcile(const std::vector<std::string>& argv) {
  const Command& self = Commands().at("reconcile");
  Args args;
  int exit_code = kExitOk;
  if (!ParseOrExplain(self, argv, {{"output", true}, {"format", true}, {"threshold", true}}, &args,
                      &exit_code)) {
    return exit_code;
  }
  if (args.positional().size() != 2) {
    std::cerr << "xuncha reconcile: need INSPECTORS and UNIT files\n\n" << kReconcileUsage;
    return kExitUsage;
  }
  const std::string format = args.GetOr("format", "table");
  if (format != "table" && format != "json") {
    std::cerr << "xuncha reconcile: --format must be table or json, not '" << format << "'\n";
    return kExitUsage;
  }
  ReconcileOptions options;
  if (auto t = args.Get("threshold")) {
    char* end = nullptr;
    double v = std::strtod(t->c_str(), &end);
    if (t->empty() || *end != '\0' || !(v >= 0 && v <= 1)) {
      std::cerr << "xuncha reconcile: --threshold needs a number in [0, 1], got '" << *t << "'\n";
      return kExitUsage;
    }
    options.threshold = v;
  }
  auto fail = [](const Status& s) {
    std::cerr << "xuncha reconcile: " << s.message() << "\n";
    return kExitFailed;
  };
  StatusOr<std::vector<v1::ClassifiedFinding>> inspectors = ReadAll(args.positional()[0]);
  if (!inspectors.ok()) return fail(inspectors.status());
  StatusOr<std::vector<v1::ClassifiedFinding>> unit = ReadAll(args.positional()[1]);
  if (!unit.ok()) return fail(unit.status());
  StatusOr<v1::Reconciliation> r = Reconcile(*inspectors, *unit, options);
  if (!r.ok()) return fail(r.status());
  if (auto out = args.Get("output")) {
    Status s = WriteWholeFile(*out, ToJson(*r, true) + "\n");
    if (!s.ok()) return fail(s);
    std::cerr << "xuncha reconcile: " << r->matches_size() << " match(es), " << r->agenda_size()
              << " agenda item(s) -> " << *out << "\n";
    return kExitOk;
  }
  std::cout << (format == "json" ? ToJson(*r, true) + "\n" : Render(*r));
  return kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(reconcile, "align inspectors' and unit's finding lists (背靠背比对)",
                   kReconcileUsage, RunReconcile);

}  // namespace xuncha::cli
