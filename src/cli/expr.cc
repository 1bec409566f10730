// xuncha expr: evaluates one condition-language expression against a
// finding, for rule authors trying a `when` out.

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/rules_arg.h"
#include "compile/plan.h"
#include "expr/expr.h"
#include "expr/position.h"
#include "expr/text_model.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "xuncha/diagnostic.h"

namespace xuncha::cli {

namespace {

constexpr char kExprUsage[] =
    "usage: xuncha expr 'EXPRESSION' [--finding FILE_OR_JSON] [--lexicon NAME=t1,t2 ...]\n"
    "                   [--rules RULES ...]\n"
    "\n"
    "Evaluates one expression of the condition language (a subset of CEL) and prints\n"
    "VALUE : TYPE. The finding is a JSON object, or a .json / .jsonl file (its first\n"
    "record); without --finding the finding is empty. `amount` is the finding's amount,\n"
    "else the largest amount written in its text. Text functions use plain string\n"
    "search and the default negation cues. With --rules the expression sees that rule\n"
    "set's lexicons, negation cues and text models (model_label, model_prob), as its\n"
    "conditions do; `result` stays unavailable.\n"
    "\n"
    "flags:\n"
    "  --finding FILE_OR_JSON   the finding to evaluate against\n"
    "  --lexicon NAME=t1,t2     a lexicon for lexicon()/mentions() (repeatable; adds to\n"
    "                           or replaces the rule set's lexicon of that name)\n"
    "  --rules RULES            rule files or directories to take lexicons, negation\n"
    "                           cues and models from (repeatable)\n"
    "\n"
    "examples:\n"
    "  xuncha expr 'wan(52.3)'\n"
    "  xuncha expr --finding '{\"text\":\"未招标直接发包，合计520万元\"}' \\\n"
    "      'text.contains(\"未招标\") && amount >= wan(400)'\n"
    "  xuncha expr --rules rules/default --finding '{\"text\":\"食堂采购没比价\"}' \\\n"
    "      'model_label(\"category\") + \" \" + string(model_prob(\"category\"))'\n"
    "\n"
    "exit status: 0 evaluated; 1 diagnostics or an evaluation error; 2 usage error\n";

bool ReadFinding(const std::string& arg, v1::Finding* finding, std::string* error) {
  std::string json;
  size_t first = arg.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && arg[first] == '{') {
    json = arg;
  } else {
    std::ifstream in(arg, std::ios::binary);
    if (!in) {
      *error = "cannot open finding file '" + arg + "'";
      return false;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    std::string content = ss.str();
    if (content.starts_with("\xEF\xBB\xBF")) content.erase(0, 3);
    bool jsonl = arg.size() >= 6 && arg.compare(arg.size() - 6, 6, ".jsonl") == 0;
    if (jsonl) {
      std::istringstream lines(content);
      std::string line;
      while (std::getline(lines, line)) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) {
          json = line;
          break;
        }
      }
      if (json.empty()) {
        *error = "'" + arg + "' holds no record";
        return false;
      }
    } else {
      json = content;
      size_t start = json.find_first_not_of(" \t\r\n");
      if (start != std::string::npos && json[start] == '[') {
        // A JSON array of findings: take its first element.
        google::protobuf::ListValue list;
        auto status = google::protobuf::util::JsonStringToMessage(json, &list);
        if (!status.ok() || list.values_size() == 0) {
          *error = "'" + arg + "' is not a JSON array of findings";
          return false;
        }
        json.clear();
        google::protobuf::util::MessageToJsonString(list.values(0), &json);
      }
    }
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(json, finding, options);
  if (!status.ok()) {
    *error = "finding is not valid: " + std::string(status.message());
    return false;
  }
  return true;
}

Diagnostic ToDiagnostic(const expr::ExprDiagnostic& d, std::string_view source) {
  Diagnostic out;
  out.severity = d.severity;
  out.message = d.message;
  out.code = d.code;
  out.location.path = "<expr>";
  out.location.offset = d.begin;
  expr::SourcePosition pos = expr::LocateInSource(source, d.begin, d.end);
  out.location.line = pos.line;
  out.location.column = pos.column;
  out.location.length = pos.length;
  out.source_line = std::string(pos.line_text);
  return out;
}

int RunExpr(const std::vector<std::string>& argv) {
  const Command& self = Commands().at("expr");
  Args args;
  int exit_code = kExitOk;
  if (!ParseOrExplain(self, argv, {{"finding", true}, {"lexicon", true, true}, {"rules", true, true}},
                      &args, &exit_code)) {
    return exit_code;
  }
  if (args.positional().size() != 1) {
    std::cerr << "xuncha expr: give exactly one expression (quote it)\n\n" << kExprUsage;
    return kExitUsage;
  }
  const std::string& source = args.positional()[0];

  // With --rules: the set's lexicons, negation cues and models.
  std::shared_ptr<const Engine> engine;
  std::map<std::string, std::vector<std::string>, std::less<>> lexicons;
  std::vector<std::string> cues_before = expr::DefaultNegationCuesBefore();
  std::vector<std::string> cues_after = expr::DefaultNegationCuesAfter();
  const expr::ModelTable* models = nullptr;
  if (std::vector<std::string> paths = args.GetAll("rules"); !paths.empty()) {
    engine = CompileRulesForCli("expr", paths);
    if (engine == nullptr) return kExitFailed;
    const match_internal::Plan& plan = engine->plan();
    for (const v1::Lexicon& lex : plan.rule_set.lexicon()) {
      auto& terms = lexicons[lex.name()];
      terms.insert(terms.end(), lex.terms().begin(), lex.terms().end());
    }
    // The cues the compiler settled on (the set's own, else the built-in).
    const expr::PredicateTable& compiled = *plan.predicates;
    cues_before.clear();
    cues_after.clear();
    for (uint32_t id : compiled.cues_before()) cues_before.push_back(compiled.terms().term(id));
    for (uint32_t id : compiled.cues_after()) cues_after.push_back(compiled.terms().term(id));
    models = plan.models.get();
  }
  std::map<std::string, std::vector<std::string>, std::less<>> given;
  for (const std::string& spec : args.GetAll("lexicon")) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "xuncha expr: --lexicon needs NAME=term1,term2, got '" << spec << "'\n";
      return kExitUsage;
    }
    std::vector<std::string>& terms = given[spec.substr(0, eq)];
    std::string rest = spec.substr(eq + 1);
    size_t pos = 0;
    while (pos <= rest.size()) {
      size_t comma = rest.find(',', pos);
      if (comma == std::string::npos) comma = rest.size();
      if (comma > pos) terms.push_back(rest.substr(pos, comma - pos));
      pos = comma + 1;
    }
  }
  for (auto& [name, terms] : given) lexicons[name] = std::move(terms);

  v1::Finding finding;
  if (auto f = args.Get("finding")) {
    std::string error;
    if (!ReadFinding(*f, &finding, &error)) {
      std::cerr << "xuncha expr: " << error << "\n";
      return kExitUsage;
    }
  }

  expr::TermTable terms;
  expr::PredicateTable table(&terms);
  table.SetNegationCues(cues_before, cues_after);
  expr::Environment env;
  env.lexicons = &lexicons;
  env.predicates = &table;
  env.models = models;
  env.result_available = false;
  env.require_bool = false;

  std::vector<expr::ExprDiagnostic> diags;
  std::unique_ptr<expr::Program> program = expr::CompileExpression(source, env, &diags);
  for (const expr::ExprDiagnostic& d : diags) {
    std::cerr << ToDiagnostic(d, source).ToString() << "\n";
  }
  if (program == nullptr) return kExitFailed;

  std::vector<int64_t> amounts;
  for (const expr::TextAmount& a : expr::ExtractAmounts(finding.text())) amounts.push_back(a.fen);
  expr::NaiveOracle oracle(&table, finding.text());
  expr::Activation act;
  act.finding = &finding;
  act.oracle = &oracle;
  act.text_amounts = &amounts;
  if (finding.has_amount()) {
    act.amount_fen = finding.amount().fen();
  } else if (!amounts.empty()) {
    act.amount_fen = *std::max_element(amounts.begin(), amounts.end());
  }
  std::vector<int8_t> cache(table.size(), -1);
  act.predicate_cache = cache.data();
  std::unique_ptr<expr::ModelCache> model_cache;
  if (models != nullptr) {
    model_cache = std::make_unique<expr::ModelCache>(models);
    model_cache->Reset(finding.text());
    act.models = model_cache.get();
  }

  expr::EvalOutcome out = program->Evaluate(act);
  if (out.kind == expr::EvalOutcome::kError) {
    std::cout << "error: " << out.error << "\n";
    return kExitFailed;
  }
  std::cout << out.display << " : " << out.type_name << "\n";
  return kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(expr, "evaluate a condition expression against a finding", kExprUsage, RunExpr);

}  // namespace xuncha::cli
