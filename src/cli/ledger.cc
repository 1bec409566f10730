// xuncha ledger: the problem ledger (问题清单 / 整改台账) on the command line.

#include <algorithm>
#include <cerrno>
#include <map>
#include <fstream>
#include <iostream>
#include <sstream>

#include "base/utf8.h"
#include "cli/classified_io.h"
#include "cli/command.h"
#include "xuncha/ledger.h"
#include "xuncha/ledger_export.h"
#include "xuncha/taxonomy.h"

namespace xuncha::cli {
namespace {

constexpr std::string_view kUsage = R"(usage: xuncha ledger SUBCOMMAND --db LEDGER.db [FLAGS]

The problem ledger: one SQLite file per round or programme.

subcommands:
  import CLASSIFIED.jsonl...   add classified problems (state draft); non-problems
                               (unclassified, disposition none) are listed as skipped
      [--batch N] [--disclosure public|internal|withheld]
  show                         the ledger as a table
      [--state STATE] [--audience LEVEL] [--mask]
  transition ID --to STATE --actor NAME [--note TEXT] [field flags]
  transition --bulk FILE.csv   rows filled in by a unit: 问题编号, 目标状态, 操作人, 说明,
                               and any of the field columns below; every row is checked,
                               valid rows are applied in one transaction; exit 1 if any
                               row failed
  explain ID --text TEXT --actor NAME [--evidence REF]...   the unit's 说明 (verifying)
  escalate ID --actor NAME [--note TEXT]    督办 → 提醒 → 告诫 → 问责 (overdue only)
  overdue [--as-of YYYY-MM-DD] [--mark --actor NAME]   overdue rectifications
  recurring                    items found again (earlier round, or tagged)
  history ID                   every recorded change of an entry
  export --format jsonl|csv|xlsx|binpb -o FILE [--audience LEVEL] [--mask]

field flags (bulk CSV column in brackets):
  --unit [责任单位/部门] --leader [责任领导] --person [责任人] --measures [整改措施]
  --target [整改目标/验收标准] --deadline [整改时限] --completed-on [完成时间]
  --evidence-text [佐证材料] --basis [依据] --recovered YUAN [清退/追缴金额(元)]
  --to-recover YUAN [应清退/追缴金额(元)] --accountability [问责情况]
  --people N [处理人数] --rule TEXT [建章立制] --feedback [反馈]
  --disclosure [公开范围] --transfer-target [移交对象]

common flags:
  --db FILE      the ledger database (created if missing)
  --now ISO      the time recorded for changes (default: now), e.g. 2024-06-01T09:00:00Z

States are lifecycle ids (draft verifying confirmed written_off claimed assigned
in_progress overdue submitted accepted closed reopened transferred feedback_received)
or their Chinese names.
)";

const Command kCommand{"ledger", "the problem ledger: import, lifecycle, overdue, exports",
                       kUsage, nullptr};

// Exact fen from "1500", "1500.5", "1,500.05", "1500元".
bool ParseYuan(std::string s, int64_t* fen) {
  s.erase(std::remove(s.begin(), s.end(), ','), s.end());
  if (s.size() >= 3 && s.compare(s.size() - 3, 3, "元") == 0) s.resize(s.size() - 3);
  if (s.empty()) return false;
  size_t dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  if (whole.empty() || whole.size() > 15 || frac.size() > 2) return false;
  for (char c : whole + frac) {
    if (c < '0' || c > '9') return false;
  }
  while (frac.size() < 2) frac += '0';
  *fen = std::stoll(whole) * 100 + std::stoll(frac);
  return true;
}

// A state id from an id or a Chinese name; "" if unknown.
std::string StateId(std::string_view s) {
  for (const TaxonomyEntry& e : LifecycleStates()) {
    if (e.id == s || e.name == s) return std::string(e.id);
  }
  return "";
}

std::string LevelId(std::string_view s) {
  for (const TaxonomyEntry& e : DisclosureLevels()) {
    if (e.id == s || e.name == s) return std::string(e.id);
  }
  if (s == "社会") return "public";
  return std::string(s);
}

std::string TargetId(std::string_view s) {
  for (const TaxonomyEntry& e : TransferTargets()) {
    if (e.id == s || e.name == s) return std::string(e.id);
  }
  return std::string(s);
}

// Sets one field of an update by its bulk-CSV column name. Returns false
// with *error set for a bad value; *known false for an unknown column.
bool SetField(std::string_view column, const std::string& v, EntryUpdate* u, bool* known,
              std::string* error) {
  *known = true;
  if (v.empty()) return true;  // an empty cell changes nothing
  if (column == "责任单位/部门") u->responsible_unit = v;
  else if (column == "责任领导") u->responsible_leader = v;
  else if (column == "责任人") u->responsible_person = v;
  else if (column == "整改措施") u->measures = v;
  else if (column == "整改目标/验收标准") u->target = v;
  else if (column == "整改时限") u->deadline = v;
  else if (column == "完成时间") u->completed_on = v;
  else if (column == "佐证材料") u->evidence = v;
  else if (column == "依据") u->basis = v;
  else if (column == "问责情况") u->accountability = v;
  else if (column == "反馈") u->feedback = v;
  else if (column == "建章立制") u->rules_made.push_back(v);
  else if (column == "公开范围") u->disclosure = LevelId(v);
  else if (column == "移交对象") u->transfer_target = TargetId(v);
  else if (column == "清退/追缴金额(元)" || column == "应清退/追缴金额(元)") {
    int64_t fen = 0;
    if (!ParseYuan(v, &fen)) {
      *error = "金额「" + v + "」无效 / bad amount '" + v + "' (yuan, e.g. 1500.00)";
      return false;
    }
    (column == "清退/追缴金额(元)" ? u->recovered_fen : u->to_recover_fen) = fen;
  } else if (column == "处理人数") {
    char* end = nullptr;
    long n = std::strtol(v.c_str(), &end, 10);
    if (end == v.c_str() || *end != '\0' || n < 0 || n > 100000) {
      *error = "处理人数「" + v + "」无效 / bad people count '" + v + "'";
      return false;
    }
    u->people_handled = static_cast<int32_t>(n);
  } else {
    *known = false;
  }
  return true;
}

const std::vector<std::pair<std::string, std::string>>& FieldFlags() {
  static const auto* v = new std::vector<std::pair<std::string, std::string>>{
      {"unit", "责任单位/部门"},      {"leader", "责任领导"},
      {"person", "责任人"},           {"measures", "整改措施"},
      {"target", "整改目标/验收标准"}, {"deadline", "整改时限"},
      {"completed-on", "完成时间"},   {"evidence-text", "佐证材料"},
      {"basis", "依据"},              {"recovered", "清退/追缴金额(元)"},
      {"to-recover", "应清退/追缴金额(元)"}, {"accountability", "问责情况"},
      {"people", "处理人数"},         {"feedback", "反馈"},
      {"disclosure", "公开范围"},     {"transfer-target", "移交对象"},
  };
  return *v;
}

// --- CSV reading (bulk transitions) -----------------------------------------

struct CsvRecord {
  int line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
};

bool ParseCsv(std::string_view text, std::vector<CsvRecord>* out, std::string* error) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool in_quotes = false, end_of_record = false;
    while (i < text.size() && !end_of_record) {
      char c = text[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          in_quotes = false;
          ++i;
          continue;
        }
        if (c == '\n') ++line;
        field += c;
        ++i;
        continue;
      }
      if (c == '"') {
        in_quotes = true;
      } else if (c == ',') {
        rec.fields.push_back(std::move(field));
        field.clear();
      } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        // CRLF: the LF ends the record.
      } else if (c == '\n') {
        end_of_record = true;
        ++line;
      } else {
        field += c;
      }
      ++i;
    }
    if (in_quotes) {
      *error = "line " + std::to_string(rec.line) + ": unterminated quoted field";
      return false;
    }
    rec.fields.push_back(std::move(field));
    bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
    if (!blank) out->push_back(std::move(rec));
  }
  return true;
}

// --- Subcommands --------------------------------------------------------------

StatusOr<std::unique_ptr<Ledger>> OpenLedger(const Args& args) {
  LedgerOptions o;
  if (auto now = args.Get("now")) o.clock = FixedClock(*now);
  return Ledger::Open(*args.Get("db"), o);
}

int Fail(const Status& s) {
  std::cerr << "xuncha ledger: " << s.message() << "\n";
  return kExitFailed;
}

int RunImport(const Args& args, Ledger& ledger) {
  if (args.positional().size() < 2) {
    std::cerr << "xuncha ledger import: give at least one CLASSIFIED.jsonl\n";
    return kExitUsage;
  }
  std::vector<v1::ClassifiedFinding> all;
  for (size_t i = 1; i < args.positional().size(); ++i) {
    Status s = ReadClassified(args.positional()[i], &all);
    if (!s.ok()) return Fail(s);
  }
  ImportOptions o;
  std::string error;
  if (auto b = args.GetInt("batch", &error)) o.batch_size = static_cast<int>(*b);
  if (!error.empty()) {
    std::cerr << "xuncha ledger import: " << error << "\n";
    return kExitUsage;
  }
  if (auto d = args.Get("disclosure")) o.disclosure = LevelId(*d);
  auto stats = ledger.Import(all, o);
  if (!stats.ok()) return Fail(stats.status());
  std::cout << "导入 imported: " << stats->added << "  重复 duplicates: " << stats->duplicates
            << "  未分类 unclassified: " << stats->unclassified
            << "  无需处置 disposition none: " << stats->disposition_none << "\n";
  return kExitOk;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows, std::ostream& os) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    width.resize(std::max(width.size(), r.size()), 0);
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], utf8::DisplayWidth(r[i]));
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += i + 1 < r.size() ? utf8::PadRight(r[i], width[i]) + "  " : r[i];
    }
    os << line << "\n";
  }
}

int RunShow(const Args& args, Ledger& ledger) {
  ExportOptions eo;
  eo.audience = LevelId(args.GetOr("audience", "withheld"));
  eo.mask_personal_data = args.Has("mask");
  if (!IsDisclosureLevel(eo.audience)) {
    std::cerr << "xuncha ledger show: unknown audience '" << eo.audience << "'\n";
    return kExitUsage;
  }
  std::string state = args.Has("state") ? StateId(*args.Get("state")) : "";
  if (args.Has("state") && state.empty()) {
    std::cerr << "xuncha ledger show: unknown state '" << *args.Get("state") << "'\n";
    return kExitUsage;
  }
  std::vector<std::vector<std::string>> rows = {
      {"序号", "问题编号", "被巡察单位", "问题类别", "问题子类", "整改状态", "整改时限", "公开范围",
       "问题描述"}};
  Status s = ledger.ForEach([&](const v1::LedgerEntry& e) {
    if (!VisibleTo(e.disclosure(), eo.audience)) return Status::OK();
    if (!state.empty() && e.state() != state) return Status::OK();
    std::vector<std::string> c = LedgerRow(e, eo);
    rows.push_back({c[0], c[1], utf8::Truncate(c[4], 20), c[5], utf8::Truncate(c[6], 24), c[20],
                    c[19], c[27], utf8::Truncate(c[7], 40)});
    return Status::OK();
  });
  if (!s.ok()) return Fail(s);
  PrintTable(rows, std::cout);
  std::cout << "共 " << rows.size() - 1 << " 条 / " << rows.size() - 1 << " entries\n";
  return kExitOk;
}

bool UpdateFromFlags(const Args& args, EntryUpdate* u, std::string* error) {
  for (const auto& [flag, column] : FieldFlags()) {
    if (auto v = args.Get(flag)) {
      bool known = true;
      if (!SetField(column, *v, u, &known, error)) return false;
    }
  }
  for (const std::string& rule : args.GetAll("rule")) u->rules_made.push_back(rule);
  return true;
}

int RunBulk(const Args& args, Ledger& ledger) {
  const std::string path = *args.Get("bulk");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrnoError("open " + path, errno));
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<CsvRecord> records;
  std::string error;
  if (!ParseCsv(ss.str(), &records, &error)) {
    std::cerr << path << ":" << error << "\n";
    return kExitFailed;
  }
  if (records.empty()) {
    std::cerr << path << ": empty file\n";
    return kExitFailed;
  }
  const std::vector<std::string>& header = records[0].fields;
  int col_id = -1, col_state = -1, col_actor = -1, col_note = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& h = header[i];
    int idx = static_cast<int>(i);
    if (h == "问题编号") col_id = idx;
    else if (h == "目标状态") col_state = idx;
    else if (h == "操作人") col_actor = idx;
    else if (h == "说明") col_note = idx;
    else {
      bool listed = h == "建章立制" || h == "处理人数";
      for (const auto& f : FieldFlags()) listed = listed || f.second == h;
      if (!listed) {
        std::cerr << path << ":" << records[0].line << ": 未知列「" << h << "」 / unknown column '"
                  << h << "'\n";
        return kExitFailed;
      }
    }
  }
  if (col_id < 0 || col_actor < 0) {
    std::cerr << path << ":1: 缺少列「问题编号」或「操作人」 / the columns 问题编号 and 操作人 are "
                         "required\n";
    return kExitFailed;
  }
  std::vector<TransitionRequest> requests;
  std::vector<size_t> request_row;  // index into records
  int failed = 0;
  auto row_error = [&](const CsvRecord& r, const std::string& id, const std::string& m) {
    std::cerr << path << ":" << r.line << ": 第" << r.line << "行(问题编号 " << id << "): " << m
              << "\n";
    ++failed;
  };
  for (size_t ri = 1; ri < records.size(); ++ri) {
    const CsvRecord& r = records[ri];
    auto cell = [&](int col) { return col >= 0 && static_cast<size_t>(col) < r.fields.size()
                                          ? r.fields[col] : std::string(); };
    TransitionRequest req;
    req.id = cell(col_id);
    req.actor = cell(col_actor);
    req.note = cell(col_note);
    if (r.fields.size() != header.size()) {
      row_error(r, req.id, "列数 " + std::to_string(r.fields.size()) + " 与表头 " +
                               std::to_string(header.size()) + " 不符 / wrong number of columns");
      continue;
    }
    if (req.id.empty()) {
      row_error(r, req.id, "缺少问题编号 / no id");
      continue;
    }
    std::string st = cell(col_state);
    if (!st.empty()) {
      req.to_state = StateId(st);
      if (req.to_state.empty()) {
        row_error(r, req.id, "未知目标状态「" + st + "」 / unknown state '" + st + "'");
        continue;
      }
    }
    bool ok = true;
    for (size_t i = 0; i < header.size() && ok; ++i) {
      int idx = static_cast<int>(i);
      if (idx == col_id || idx == col_state || idx == col_actor || idx == col_note) continue;
      bool known = true;
      std::string err;
      if (!SetField(header[i], r.fields[i], &req.update, &known, &err)) {
        row_error(r, req.id, err);
        ok = false;
      }
    }
    if (!ok) continue;
    requests.push_back(std::move(req));
    request_row.push_back(ri);
  }
  auto results = ledger.ApplyAll(requests);
  if (!results.ok()) return Fail(results.status());
  int applied = 0;
  for (size_t i = 0; i < results->size(); ++i) {
    if ((*results)[i].ok()) {
      ++applied;
    } else {
      row_error(records[request_row[i]], requests[i].id, (*results)[i].message());
    }
  }
  std::cout << "已应用 applied: " << applied << "  失败 failed: " << failed << "\n";
  return failed > 0 ? kExitFailed : kExitOk;
}

int RunTransition(const Args& args, Ledger& ledger) {
  if (args.Has("bulk")) return RunBulk(args, ledger);
  if (args.positional().size() != 2 || !args.Has("to") || !args.Has("actor")) {
    std::cerr << "xuncha ledger transition: give ID --to STATE --actor NAME (or --bulk FILE)\n";
    return kExitUsage;
  }
  TransitionRequest r;
  r.id = args.positional()[1];
  r.to_state = StateId(*args.Get("to"));
  if (r.to_state.empty() && *args.Get("to") != "") {
    std::cerr << "xuncha ledger transition: unknown state '" << *args.Get("to") << "'\n";
    return kExitUsage;
  }
  r.actor = *args.Get("actor");
  r.note = args.GetOr("note", "");
  r.as_of = args.GetOr("as-of", "");
  std::string error;
  if (!UpdateFromFlags(args, &r.update, &error)) {
    std::cerr << "xuncha ledger transition: " << error << "\n";
    return kExitUsage;
  }
  Status s = ledger.Transition(r);
  if (!s.ok()) return Fail(s);
  auto e = ledger.Get(r.id);
  if (!e.ok()) return Fail(e.status());
  std::cout << r.id << ": " << LifecycleStateName(e->state()) << " (" << e->state() << ")\n";
  return kExitOk;
}

int RunExplain(const Args& args, Ledger& ledger) {
  if (args.positional().size() != 2 || !args.Has("text") || !args.Has("actor")) {
    std::cerr << "xuncha ledger explain: give ID --text TEXT --actor NAME\n";
    return kExitUsage;
  }
  std::vector<v1::EvidenceRef> ev;
  for (const std::string& ref : args.GetAll("evidence")) {
    v1::EvidenceRef r;
    r.set_id(ref);
    ev.push_back(r);
  }
  Status s = ledger.Explain(args.positional()[1], *args.Get("text"), ev, *args.Get("actor"));
  if (!s.ok()) return Fail(s);
  std::cout << args.positional()[1] << ": 说明已记录 / explanation recorded\n";
  return kExitOk;
}

int RunEscalate(const Args& args, Ledger& ledger) {
  if (args.positional().size() != 2 || !args.Has("actor")) {
    std::cerr << "xuncha ledger escalate: give ID --actor NAME\n";
    return kExitUsage;
  }
  auto level = ledger.Escalate(args.positional()[1], *args.Get("actor"), args.GetOr("note", ""));
  if (!level.ok()) return Fail(level.status());
  for (const TaxonomyEntry& l : EscalationLevels()) {
    if (l.id == *level) std::cout << args.positional()[1] << ": " << l.name << " (" << l.id << ")\n";
  }
  return kExitOk;
}

std::string TodayUtc(const Args& args) {
  if (auto now = args.Get("now")) return now->substr(0, 10);
  return FormatUtc(std::chrono::system_clock::now()).substr(0, 10);
}

int RunOverdue(const Args& args, Ledger& ledger) {
  std::string as_of = args.GetOr("as-of", TodayUtc(args));
  if (!IsIsoDate(as_of)) {
    std::cerr << "xuncha ledger overdue: bad --as-of '" << as_of << "' (YYYY-MM-DD)\n";
    return kExitUsage;
  }
  if (args.Has("mark")) {
    if (!args.Has("actor")) {
      std::cerr << "xuncha ledger overdue: --mark needs --actor\n";
      return kExitUsage;
    }
    auto ids = ledger.MarkOverdue(as_of, *args.Get("actor"));
    if (!ids.ok()) return Fail(ids.status());
    std::cout << "标记逾期 marked overdue: " << ids->size() << "\n";
  }
  auto list = ledger.Overdue(as_of);
  if (!list.ok()) return Fail(list.status());
  std::vector<std::vector<std::string>> rows = {
      {"问题编号", "被巡察单位", "问题子类", "整改状态", "整改时限", "督办", "责任单位/部门", "责任人"}};
  for (const v1::LedgerEntry& e : *list) {
    std::string esc;
    for (const v1::Escalation& x : e.escalations()) {
      for (const TaxonomyEntry& l : EscalationLevels()) {
        if (l.id == x.level()) esc += (esc.empty() ? "" : "→") + std::string(l.name);
      }
    }
    rows.push_back({e.id(), utf8::Truncate(e.finding().unit().name(), 20),
                    std::string(SubcategoryName(e.classification().category(),
                                                e.classification().subcategory())),
                    std::string(LifecycleStateName(e.state())), e.rectification().deadline(), esc,
                    e.rectification().responsible_unit(), e.rectification().responsible_person()});
  }
  PrintTable(rows, std::cout);
  std::cout << "截至 " << as_of << " 逾期 " << list->size() << " 条 / overdue as of " << as_of
            << ": " << list->size() << "\n";
  return kExitOk;
}

int RunRecurring(const Args& args, Ledger& ledger) {
  auto list = ledger.Recurring();
  if (!list.ok()) return Fail(list.status());
  std::vector<std::vector<std::string>> rows = {
      {"问题编号", "轮次", "被巡察单位", "问题子类", "前次问题", "前次轮次", "依据"}};
  for (const RecurringItem& r : *list) {
    const v1::LedgerEntry& e = r.entry;
    rows.push_back({e.id(), e.finding().round(), utf8::Truncate(e.finding().unit().name(), 20),
                    std::string(SubcategoryName(e.classification().category(),
                                                e.classification().subcategory())),
                    r.earlier_id, r.earlier_round,
                    r.reason == "tagged" ? "标记为屡查屡犯" : "同单位同子类前轮已查出"});
  }
  PrintTable(rows, std::cout);
  std::cout << "屡查屡犯 " << list->size() << " 条 / recurring: " << list->size() << "\n";
  return kExitOk;
}

std::string KindName(const std::string& kind) {
  static const std::map<std::string, std::string>* names = new std::map<std::string, std::string>{
      {"import", "导入"},          {"transition", "状态变更"}, {"explanation", "单位说明"},
      {"escalation", "督办升级"},  {"extension", "延期"},      {"update", "更新"}};
  auto it = names->find(kind);
  return it == names->end() ? kind : it->second + "(" + kind + ")";
}

int RunHistory(const Args& args, Ledger& ledger) {
  if (args.positional().size() != 2) {
    std::cerr << "xuncha ledger history: give ID\n";
    return kExitUsage;
  }
  auto e = ledger.Get(args.positional()[1]);
  if (!e.ok()) return Fail(e.status());
  std::cout << e->id() << "  " << e->finding().unit().name() << "  "
            << LifecycleStateName(e->state()) << " (" << e->state() << ")\n"
            << e->finding().text() << "\n\n";
  std::vector<std::vector<std::string>> rows = {{"#", "时间", "类型", "从", "到", "操作人", "说明"}};
  for (const v1::Transition& t : e->history()) {
    rows.push_back({std::to_string(t.seq()), t.at(), KindName(t.kind()),
                    std::string(LifecycleStateName(t.from_state())),
                    std::string(LifecycleStateName(t.to_state())), t.actor(), t.note()});
  }
  PrintTable(rows, std::cout);
  return kExitOk;
}

int RunExport(const Args& args, Ledger& ledger) {
  std::string format = args.GetOr("format", "");
  if (!IsExportFormat(format) || !args.Has("output")) {
    std::cerr << "xuncha ledger export: give --format jsonl|csv|xlsx|binpb -o FILE\n";
    return kExitUsage;
  }
  ExportOptions eo;
  eo.audience = LevelId(args.GetOr("audience", "internal"));
  eo.mask_personal_data = args.Has("mask");
  if (!IsDisclosureLevel(eo.audience)) {
    std::cerr << "xuncha ledger export: unknown audience '" << eo.audience << "'\n";
    return kExitUsage;
  }
  auto n = ExportLedger(ledger, format, *args.Get("output"), eo);
  if (!n.ok()) return Fail(n.status());
  std::cout << "导出 exported: " << *n << " → " << *args.Get("output") << "\n";
  return kExitOk;
}

int Run(const std::vector<std::string>& argv) {
  std::vector<FlagSpec> specs = {
      {"db", true},        {"now", true},     {"batch", true},   {"disclosure", true},
      {"state", true},     {"audience", true}, {"mask", false},  {"to", true},
      {"actor", true},     {"note", true},    {"bulk", true},    {"text", true},
      {"evidence", true, true}, {"as-of", true}, {"mark", false}, {"format", true},
      {"output", true},    {"rule", true, true},
  };
  for (const auto& [flag, column] : FieldFlags()) {
    if (flag != "disclosure") specs.push_back({flag, true});
  }
  Args args;
  int code = kExitOk;
  if (!ParseOrExplain(kCommand, argv, specs, &args, &code)) return code;
  if (args.positional().empty()) {
    std::cerr << "xuncha ledger: give a subcommand\n\n" << kUsage;
    return kExitUsage;
  }
  const std::string sub = args.positional()[0];
  using Fn = int (*)(const Args&, Ledger&);
  static const std::map<std::string, Fn>* subs = new std::map<std::string, Fn>{
      {"import", RunImport},     {"show", RunShow},       {"transition", RunTransition},
      {"explain", RunExplain},   {"escalate", RunEscalate}, {"overdue", RunOverdue},
      {"recurring", RunRecurring}, {"history", RunHistory}, {"export", RunExport},
  };
  auto it = subs->find(sub);
  if (it == subs->end()) {
    std::cerr << "xuncha ledger: unknown subcommand '" << sub << "'\n\n" << kUsage;
    return kExitUsage;
  }
  if (!args.Has("db")) {
    std::cerr << "xuncha ledger " << sub << ": --db FILE is required\n";
    return kExitUsage;
  }
  auto ledger = OpenLedger(args);
  if (!ledger.ok()) return Fail(ledger.status());
  return it->second(args, **ledger);
}

}  // namespace

XUNCHA_CLI_COMMAND(ledger, "the problem ledger: import, lifecycle, overdue, exports", kUsage, Run);

}  // namespace xuncha::cli
