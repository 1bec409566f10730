// Evaluator: quality of a rule set against labelled findings. The
// definitions (true and predicted class, "none", macro-F1) are in
// include/xuncha/tools.h and docs/tools.md.

#include <algorithm>
#include <sstream>

#include "base/utf8.h"
#include "tools/format.h"
#include "tools/json_writer.h"
#include "xuncha/taxonomy.h"
#include "xuncha/tools.h"

namespace xuncha {
namespace {

using tools_internal::Fixed;
using tools_internal::JsonWriter;
using tools_internal::WriteRuleSet;
using tools_internal::Join;
using tools_internal::PadLeft;
using tools_internal::TextPrefix;

std::string SubClass(const std::string& category, const std::string& subcategory) {
  return subcategory.empty() ? category : category + "/" + subcategory;
}

bool PredictedProblem(const v1::Classification& c) {
  return c.classified() && c.disposition() != kNoneClass;
}

std::string OrNone(const std::string& s) { return s.empty() ? std::string(kNoneClass) : s; }

// Sort key of a class id: taxonomy position, then unknown ids by name, then
// "none" last.
std::pair<int, std::string> ClassKey(const std::string& id) {
  if (id == kNoneClass) return {1 << 30, id};
  std::string cat = id, sub;
  if (size_t slash = id.find('/'); slash != std::string::npos) {
    cat = id.substr(0, slash);
    sub = id.substr(slash + 1);
  }
  const auto& tax = Taxonomy();
  for (size_t i = 0; i < tax.size(); ++i) {
    if (tax[i].id != cat) continue;
    if (sub.empty()) return {static_cast<int>(i * 100), id};
    for (size_t j = 0; j < tax[i].subcategories.size(); ++j) {
      if (tax[i].subcategories[j].id == sub) return {static_cast<int>(i * 100 + j + 1), id};
    }
    return {static_cast<int>(i * 100 + 99), id};
  }
  return {1 << 29, id};
}

std::vector<std::string> OrderedClasses(const ConfusionMatrix& m) {
  std::vector<std::string> classes = m.Classes();
  std::stable_sort(classes.begin(), classes.end(), [](const std::string& a, const std::string& b) {
    return ClassKey(a) < ClassKey(b);
  });
  return classes;
}

std::vector<ClassMetrics> MetricsOf(const ConfusionMatrix& m) {
  std::vector<ClassMetrics> out;
  for (const std::string& c : OrderedClasses(m)) out.push_back(m.Metrics(c));
  return out;
}

// The Chinese name of a class id, for tables.
std::string ClassName(const std::string& id) {
  if (id == kNoneClass) return "非问题";
  size_t slash = id.find('/');
  if (slash == std::string::npos) return std::string(CategoryName(id));
  return std::string(SubcategoryName(id.substr(0, slash), id.substr(slash + 1)));
}

void MetricsTable(std::ostringstream& os, const std::vector<ClassMetrics>& rows) {
  size_t width = 10;
  for (const ClassMetrics& m : rows) {
    width = std::max(width, utf8::DisplayWidth(m.id + " " + ClassName(m.id)));
  }
  width = std::min<size_t>(width, 64);
  os << "  " << utf8::PadRight("class", width) << PadLeft("support", 9) << PadLeft("predicted", 11)
     << PadLeft("precision", 11) << PadLeft("recall", 8) << PadLeft("F1", 7) << "\n";
  for (const ClassMetrics& m : rows) {
    os << "  " << utf8::PadRight(utf8::Truncate(m.id + " " + ClassName(m.id), width), width)
       << PadLeft(std::to_string(m.support), 9) << PadLeft(std::to_string(m.predicted), 11)
       << PadLeft(Fixed(m.precision), 11) << PadLeft(Fixed(m.recall), 8) << PadLeft(Fixed(m.f1), 7)
       << "\n";
  }
}

void FieldLine(std::ostringstream& os, std::string_view name, const FieldAccuracy& a) {
  os << "  " << utf8::PadRight(name, 36) << Fixed(a.accuracy()) << "  (" << a.correct << "/"
     << a.total << ")\n";
}

void WriteMetrics(JsonWriter& j, const std::vector<ClassMetrics>& rows) {
  j.BeginArray();
  for (const ClassMetrics& m : rows) {
    j.BeginObject();
    j.Key("id").String(m.id);
    j.Key("support").Int(m.support);
    j.Key("predicted").Int(m.predicted);
    j.Key("tp").Int(m.tp);
    j.Key("precision").Double(m.precision);
    j.Key("recall").Double(m.recall);
    j.Key("f1").Double(m.f1);
    j.EndObject();
  }
  j.EndArray();
}

void WriteField(JsonWriter& j, std::string_view key, const FieldAccuracy& a) {
  j.Key(key).BeginObject();
  j.Key("total").Int(a.total);
  j.Key("correct").Int(a.correct);
  j.Key("accuracy").Double(a.accuracy());
  j.EndObject();
}

void WriteMatrix(JsonWriter& j, const ConfusionMatrix& m) {
  std::vector<std::string> classes = OrderedClasses(m);
  j.BeginObject();
  j.Key("classes").StringArray(classes);
  j.Key("rows").BeginArray();
  for (const std::string& t : classes) {
    j.BeginArray();
    for (const std::string& p : classes) j.Int(m.count(t, p));
    j.EndArray();
  }
  j.EndArray();
  j.EndObject();
}


}  // namespace

Evaluator::Evaluator(const v1::RuleSet& rules) {
  for (const v1::Rule& rule : rules.rule()) {
    if (rule_index_.count(rule.id()) != 0) continue;
    rule_index_[rule.id()] = report_.rules.size();
    RulePrecision p;
    p.rule_id = rule.id();
    p.category = rule.category();
    report_.rules.push_back(p);
  }
}

void Evaluator::Add(const v1::LabelledFinding& item, const v1::Classification& c) {
  const v1::Label& label = item.label();
  ++report_.findings;
  if (label.is_problem()) {
    ++report_.problems;
  } else {
    ++report_.compliance;
  }
  // A finding that could not be classified at all carries one error without
  // a rule id (a rule whose condition errored names itself).
  const bool failed =
      !c.classified() && std::any_of(c.errors().begin(), c.errors().end(),
                                     [](const v1::EvalError& e) { return e.rule_id().empty(); });
  if (failed) ++report_.failed;

  const std::string truth = label.is_problem() ? label.category() : std::string(kNoneClass);
  const std::string truth_sub =
      label.is_problem() ? SubClass(label.category(), label.subcategory()) : std::string(kNoneClass);
  const bool problem = PredictedProblem(c);
  const std::string predicted = problem ? c.category() : std::string(kNoneClass);
  const std::string predicted_sub =
      problem ? SubClass(c.category(), c.subcategory()) : std::string(kNoneClass);
  report_.category.Add(truth, predicted);
  report_.subcategory.Add(truth_sub, predicted_sub);

  if (label.is_problem()) {
    if (!label.discipline().empty()) {
      ++report_.discipline.total;
      if (OrNone(c.discipline()) == label.discipline()) ++report_.discipline.correct;
    }
    if (!label.nature().empty()) {
      ++report_.nature.total;
      if (OrNone(c.nature()) == label.nature()) ++report_.nature.correct;
    }
    if (!label.disposition().empty()) {
      ++report_.disposition.total;
      if (OrNone(c.disposition()) == label.disposition()) ++report_.disposition.correct;
    }
  } else {
    ++report_.compliance_disposition.total;
    if (OrNone(c.disposition()) == kNoneClass) ++report_.compliance_disposition.correct;
    if (problem) ++report_.compliance_false_positives;
  }

  for (const v1::RuleHit& hit : c.hits()) {
    auto it = rule_index_.find(hit.rule_id());
    if (it == rule_index_.end()) {  // a rule not in the set given: keep it anyway
      it = rule_index_.emplace(hit.rule_id(), report_.rules.size()).first;
      RulePrecision p;
      p.rule_id = hit.rule_id();
      p.category = hit.category().category();
      report_.rules.push_back(p);
    }
    RulePrecision& p = report_.rules[it->second];
    ++p.hits;
    if (p.category.empty()) continue;
    bool right = !label.category().empty() && p.category == label.category();
    for (const v1::CategoryRef& s : label.secondary()) right = right || s.category() == p.category;
    if (right) {
      ++p.correct;
    } else {
      ++p.wrong;
    }
  }

  if (truth_sub != predicted_sub) {
    EvalMiss miss;
    miss.finding_id = item.finding().id();
    miss.text = item.finding().text();
    miss.truth = truth_sub;
    miss.predicted = predicted_sub;
    for (const v1::RuleHit& hit : c.hits()) miss.rules.push_back(hit.rule_id());
    for (const v1::EvalError& e : c.errors()) {
      if (failed && e.rule_id().empty()) miss.error = e.message();
    }
    report_.misses.push_back(std::move(miss));
  }
}

EvalReport Evaluator::Finish() const {
  EvalReport r = report_;
  r.categories = MetricsOf(r.category);
  r.subcategories = MetricsOf(r.subcategory);
  const std::set<std::string, std::less<>> none = {std::string(kNoneClass)};
  r.category_macro_f1 = r.category.MacroF1(none);
  r.subcategory_macro_f1 = r.subcategory.MacroF1(none);
  r.accuracy = r.category.Accuracy();
  r.disposition_overall.total = r.disposition.total + r.compliance_disposition.total;
  r.disposition_overall.correct = r.disposition.correct + r.compliance_disposition.correct;
  r.subcategory_accuracy = r.subcategory.Accuracy();
  return r;
}

std::string FormatEvalReport(const EvalReport& r, size_t show_misses) {
  std::ostringstream os;
  const std::set<std::string, std::less<>> none = {std::string(kNoneClass)};
  auto count_classes = [&](const ConfusionMatrix& m) {
    size_t n = 0;
    for (const std::string& c : m.Classes()) n += none.count(c) == 0;
    return n;
  };
  os << r.findings << " labelled findings: " << r.problems << " problems, " << r.compliance
     << " statements of compliance; " << r.failed << " could not be classified\n\n";
  os << "summary:\n";
  os << "  " << utf8::PadRight("category accuracy (micro)", 36) << Fixed(r.accuracy) << "  ("
     << r.category.correct() << "/" << r.category.total() << ")\n";
  os << "  " << utf8::PadRight("category macro-F1", 36) << Fixed(r.category_macro_f1) << "  ("
     << count_classes(r.category) << " categories; \"none\" excluded)\n";
  os << "  " << utf8::PadRight("subcategory accuracy (micro)", 36) << Fixed(r.subcategory_accuracy)
     << "  (" << r.subcategory.correct() << "/" << r.subcategory.total() << ")\n";
  os << "  " << utf8::PadRight("subcategory macro-F1", 36) << Fixed(r.subcategory_macro_f1) << "  ("
     << count_classes(r.subcategory) << " subcategories; \"none\" excluded)\n";
  FieldLine(os, "discipline accuracy (problems)", r.discipline);
  FieldLine(os, "nature accuracy (problems)", r.nature);
  FieldLine(os, "disposition accuracy (problems)", r.disposition);
  FieldLine(os, "disposition none (compliance)", r.compliance_disposition);
  FieldLine(os, "disposition accuracy (all)", r.disposition_overall);
  os << "  " << utf8::PadRight("compliance classified as problems", 36)
     << r.compliance_false_positives << "\n";

  os << "\nper category (\"none\" = not a problem):\n";
  MetricsTable(os, r.categories);
  os << "\nper subcategory:\n";
  MetricsTable(os, r.subcategories);

  // Confusion matrix: rows are labels, columns predictions, both numbered.
  std::vector<std::string> classes = OrderedClasses(r.category);
  os << "\nconfusion matrix (rows = label, columns = predicted, numbered as the rows):\n";
  size_t label_width = 0;
  for (size_t i = 0; i < classes.size(); ++i) {
    label_width = std::max(label_width, utf8::DisplayWidth(std::to_string(i + 1) + " " + classes[i] +
                                                           " " + ClassName(classes[i])));
  }
  size_t cell = 3;
  for (const std::string& t : classes) {
    for (const std::string& p : classes) cell = std::max(cell, std::to_string(r.category.count(t, p)).size() + 1);
  }
  os << "  " << utf8::PadRight("", label_width);
  for (size_t i = 0; i < classes.size(); ++i) os << PadLeft(std::to_string(i + 1), cell);
  os << "\n";
  for (size_t i = 0; i < classes.size(); ++i) {
    os << "  "
       << utf8::PadRight(std::to_string(i + 1) + " " + classes[i] + " " + ClassName(classes[i]),
                         label_width);
    for (const std::string& p : classes) {
      int64_t n = r.category.count(classes[i], p);
      os << PadLeft(n == 0 ? "." : std::to_string(n), cell);
    }
    os << "\n";
  }

  // Rules: those that fired and conclude a category, least precise first.
  std::vector<const RulePrecision*> judged;
  size_t silent = 0;
  for (const RulePrecision& p : r.rules) {
    if (p.hits == 0) ++silent;
    if (p.hits > 0 && !p.category.empty()) judged.push_back(&p);
  }
  std::stable_sort(judged.begin(), judged.end(), [](const RulePrecision* a, const RulePrecision* b) {
    if (a->precision() != b->precision()) return a->precision() < b->precision();
    if (a->wrong != b->wrong) return a->wrong > b->wrong;
    return a->rule_id < b->rule_id;
  });
  os << "\nrule precision (" << judged.size() << " rules fired with a category, least precise first; "
     << silent << " rules never fired):\n";
  size_t rule_width = 4;
  for (const RulePrecision* p : judged) rule_width = std::max(rule_width, utf8::DisplayWidth(p->rule_id));
  os << "  " << utf8::PadRight("rule", rule_width) << PadLeft("hits", 7) << PadLeft("right", 7)
     << PadLeft("wrong", 7) << PadLeft("precision", 11) << "\n";
  for (const RulePrecision* p : judged) {
    os << "  " << utf8::PadRight(p->rule_id, rule_width) << PadLeft(std::to_string(p->hits), 7)
       << PadLeft(std::to_string(p->correct), 7) << PadLeft(std::to_string(p->wrong), 7)
       << PadLeft(Fixed(p->precision()), 11) << "\n";
  }

  size_t shown = std::min(show_misses, r.misses.size());
  os << "\nmisclassified: " << r.misses.size() << " (showing " << shown << ")\n";
  for (size_t i = 0; i < shown; ++i) {
    const EvalMiss& m = r.misses[i];
    os << "  " << (m.finding_id.empty() ? "(no id)" : m.finding_id) << ": label " << m.truth
       << ", predicted " << m.predicted << "; rules: " << (m.rules.empty() ? "-" : Join(m.rules));
    if (!m.error.empty()) os << "; error: " << m.error;
    os << "\n    " << TextPrefix(m.text, 72) << "\n";
  }
  return os.str();
}

std::string EvalReportToJson(const EvalReport& r) {
  JsonWriter j;
  j.BeginObject();
  WriteRuleSet(j, "rule_set", r.rule_set);
  j.Key("findings").Int(r.findings);
  j.Key("problems").Int(r.problems);
  j.Key("compliance").Int(r.compliance);
  j.Key("failed").Int(r.failed);
  j.Key("accuracy").Double(r.accuracy);
  j.Key("category_macro_f1").Double(r.category_macro_f1);
  j.Key("subcategory_accuracy").Double(r.subcategory_accuracy);
  j.Key("subcategory_macro_f1").Double(r.subcategory_macro_f1);
  j.Key("macro_f1_excludes").String(kNoneClass);
  WriteField(j, "discipline", r.discipline);
  WriteField(j, "nature", r.nature);
  WriteField(j, "disposition", r.disposition);
  WriteField(j, "compliance_disposition", r.compliance_disposition);
  WriteField(j, "disposition_overall", r.disposition_overall);
  j.Key("compliance_false_positives").Int(r.compliance_false_positives);
  j.Key("categories");
  WriteMetrics(j, r.categories);
  j.Key("subcategories");
  WriteMetrics(j, r.subcategories);
  j.Key("confusion");
  WriteMatrix(j, r.category);
  j.Key("subcategory_confusion");
  WriteMatrix(j, r.subcategory);
  j.Key("rules").BeginArray();
  for (const RulePrecision& p : r.rules) {
    j.BeginObject();
    j.Key("rule_id").String(p.rule_id);
    j.Key("category").String(p.category);
    j.Key("hits").Int(p.hits);
    j.Key("correct").Int(p.correct);
    j.Key("wrong").Int(p.wrong);
    j.Key("precision").Double(p.precision());
    j.EndObject();
  }
  j.EndArray();
  j.Key("misses").BeginArray();
  for (const EvalMiss& m : r.misses) {
    j.BeginObject();
    j.Key("finding_id").String(m.finding_id);
    j.Key("label").String(m.truth);
    j.Key("predicted").String(m.predicted);
    j.Key("rules").StringArray(m.rules);
    if (!m.error.empty()) j.Key("error").String(m.error);
    j.Key("text").String(m.text);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.Finish();
}

}  // namespace xuncha
