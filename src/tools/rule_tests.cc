// RunRuleTests: the examples and near-misses embedded in rule files.
//
// Design note. The compiled Engine keeps the rule set as written (with its
// examples) but no source positions: match/ must not depend on rules/. To
// report a failure at the example's text, as a compiler would, the rule
// files are loaded once more with rules::LoadRuleSet — a parse of the text
// format, no checking or compilation — and the example is found through the
// loader's per-rule field offsets ("examples[1].text"). Rules are matched by
// id (unique in a set that compiled), so a directory's file order does not
// matter. When the files changed since compilation, or a rule came from
// memory, the failure is still reported, only without a position.

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "rules/rule_source.h"
#include "tools/format.h"
#include "xuncha/tools.h"

namespace xuncha {
namespace {

using tools_internal::Join;

std::string Describe(const v1::Classification& c) {
  if (!c.classified()) return "left unclassified";
  std::string s = "classified as " + c.category();
  if (!c.subcategory().empty()) s += "/" + c.subcategory();
  return s + " (rule " + c.primary_rule_id() + ")";
}

std::string FiredList(const v1::Classification& c) {
  std::vector<std::string> ids;
  for (const v1::RuleHit& h : c.hits()) {
    std::string s = h.rule_id();
    if (!h.category().category().empty()) {
      s += " → " + h.category().category();
      if (!h.category().subcategory().empty()) s += "/" + h.category().subcategory();
    }
    ids.push_back(s);
  }
  return ids.empty() ? "no rule fired" : "fired: " + Join(ids);
}

// Expected "none" also matches an empty conclusion.
bool Matches(const std::string& expected, const std::string& actual) {
  if (expected == actual) return true;
  return expected == kNoneClass && actual.empty();
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace

std::string RuleTestResult::name() const {
  return std::string(near_miss ? "near_misses[" : "examples[") + std::to_string(index) + "]";
}

StatusOr<RuleTestReport> RunRuleTests(const std::shared_ptr<const Engine>& engine,
                                      const std::vector<std::string>& rule_paths,
                                      const RuleTestOptions& options) {
  const v1::RuleSet& set = engine->rule_set();
  if (!options.rule_id.empty()) {
    bool known = std::any_of(set.rule().begin(), set.rule().end(),
                             [&](const v1::Rule& r) { return r.id() == options.rule_id; });
    if (!known) return NotFoundError("no rule with id \"" + options.rule_id + "\"");
  }

  rules::LoadedRuleSet loaded;
  std::vector<Diagnostic> ignored;  // the compiler reported them already
  if (!rule_paths.empty()) {
    XUNCHA_RETURN_IF_ERROR(rules::LoadRuleSet(rule_paths, rules::LoadOptions{}, &loaded, &ignored));
  }
  std::map<std::string, const rules::RuleSource*, std::less<>> sources;
  for (size_t i = 0; i < loaded.rules.size() && i < static_cast<size_t>(loaded.set.rule_size());
       ++i) {
    sources.emplace(loaded.set.rule(static_cast<int>(i)).id(), &loaded.rules[i]);
  }

  Matcher matcher(engine);
  RuleTestReport report;
  for (const v1::Rule& rule : set.rule()) {
    if (!options.rule_id.empty() && rule.id() != options.rule_id) continue;
    const rules::RuleSource* src = nullptr;
    if (auto it = sources.find(rule.id()); it != sources.end()) src = it->second;

    auto run = [&](const v1::RuleExample& example, bool near_miss, int index) {
      RuleTestResult result;
      result.rule_id = rule.id();
      result.near_miss = near_miss;
      result.index = index;
      if (src != nullptr && src->file != nullptr) result.file = src->file->path;
      const std::string key = result.name();

      // The example's text in the file (else the example, else the rule).
      uint32_t offset = 0;
      if (src != nullptr && src->file != nullptr) {
        offset = src->rule_offset;
        if (auto f = src->field_offsets.find(key + ".text"); f != src->field_offsets.end()) {
          offset = f->second;
        } else if (auto e = src->field_offsets.find(key); e != src->field_offsets.end()) {
          offset = e->second;
        }
        result.diagnostic.location = src->file->Locate(offset, rules::TokenLength(*src->file, offset));
      }

      auto fail = [&](std::string message, std::string code) {
        result.passed = false;
        if (src != nullptr && src->file != nullptr) {
          result.diagnostic = loaded.At(src->file, offset, Severity::kError, std::move(message),
                                        std::move(code), rules::TokenLength(*src->file, offset));
        } else {
          result.diagnostic.message = std::move(message);
          result.diagnostic.code = std::move(code);
        }
        result.diagnostic.rule_id = rule.id();
      };

      v1::Finding finding;
      bool built = true;
      if (!example.finding_json().empty()) {
        auto status = google::protobuf::util::JsonStringToMessage(example.finding_json(), &finding);
        if (!status.ok()) {
          fail(key + " of " + rule.id() + ": finding_json is not a Finding: " +
                   std::string(status.message()),
               "example-error");
          built = false;
        }
      }
      if (built) {
        finding.set_id("example");
        if (!example.text().empty()) finding.set_text(example.text());
        v1::Classification c;
        Status s = matcher.Classify(finding, &c);
        bool fired = std::any_of(c.hits().begin(), c.hits().end(),
                                 [&](const v1::RuleHit& h) { return h.rule_id() == rule.id(); });
        // The expected conclusions that differ from the rule set's.
        std::vector<std::string> wrong_fields, wrong_notes;
        const std::pair<const std::string*, const std::string*> checks[] = {
            {&example.expect_category(), &c.category()},
            {&example.expect_subcategory(), &c.subcategory()},
            {&example.expect_disposition(), &c.disposition()},
            {&example.expect_discipline(), &c.discipline()},
            {&example.expect_nature(), &c.nature()},
        };
        const char* names[] = {"category", "subcategory", "disposition", "discipline", "nature"};
        for (size_t i = 0; i < 5; ++i) {
          const std::string& expected = *checks[i].first;
          const std::string& actual = *checks[i].second;
          if (expected.empty() || Matches(expected, actual)) continue;
          wrong_fields.push_back(names[i]);
          wrong_notes.push_back(std::string(names[i]) + ": expected " + expected + ", got " +
                                 (actual.empty() ? "(none)" : actual));
        }
        if (!s.ok()) {
          fail(key + " of " + rule.id() + " cannot be classified: " + s.message(), "example-error");
        } else if (near_miss) {
          if (fired) {
            fail("near-miss of " + rule.id() + " fires", "near-miss-fires");
            for (const v1::RuleHit& h : c.hits()) {
              if (h.rule_id() != rule.id()) continue;
              std::vector<std::string> spans;
              for (const v1::Span& sp : h.spans()) {
                spans.push_back("\"" + sp.text() + "\" at " + std::to_string(sp.char_begin()) + "-" +
                                std::to_string(sp.char_end()));
              }
              if (!spans.empty()) result.notes.push_back("evidence: " + Join(spans));
            }
            result.notes.push_back(FiredList(c));
            result.notes.push_back(Describe(c));
          } else {
            result.passed = true;
          }
        } else if (!fired) {
          fail("example of " + rule.id() + " does not fire", "example-no-fire");
          result.notes.push_back(FiredList(c));
          result.notes.push_back(Describe(c));
          for (const std::string& w : wrong_notes) result.notes.push_back(w);
        } else {
          std::vector<std::string> wrong = wrong_fields;
          for (const std::string& w : wrong_notes) result.notes.push_back(w);
          if (!wrong.empty()) {
            fail("example of " + rule.id() + " fires but the rule set concludes another " +
                     Join(wrong),
                 "example-wrong-conclusion");
            result.notes.push_back(FiredList(c));
            result.notes.push_back(Describe(c));
          } else {
            result.passed = true;
          }
        }
      }
      if (result.passed) {
        ++report.passed;
      } else {
        ++report.failed;
      }
      report.results.push_back(std::move(result));
    };
    for (int i = 0; i < rule.examples_size(); ++i) run(rule.examples(i), false, i);
    for (int i = 0; i < rule.near_misses_size(); ++i) run(rule.near_misses(i), true, i);
  }
  return report;
}

std::string FormatRuleTestReport(const RuleTestReport& report) {
  std::ostringstream os;
  for (const RuleTestResult& r : report.results) {
    if (r.passed) continue;
    if (r.diagnostic.location.path.empty()) {
      os << "error: " << r.diagnostic.message << " [" << r.diagnostic.code << "]\n";
    } else {
      os << r.diagnostic.ToString() << "\n";
    }
    for (const std::string& n : r.notes) os << "    " << n << "\n";
  }
  os << report.passed << " passed, " << report.failed << " failed\n";
  return os.str();
}

std::string RuleTestJUnitXml(const RuleTestReport& report) {
  // Suites by file, in order of first appearance (rule order).
  std::vector<std::string> files;
  std::map<std::string, std::vector<const RuleTestResult*>> by_file;
  for (const RuleTestResult& r : report.results) {
    std::string file = r.file.empty() ? "(rules)" : r.file;
    if (by_file.count(file) == 0) files.push_back(file);
    by_file[file].push_back(&r);
  }
  std::ostringstream os;
  os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  os << "<testsuites name=\"xuncha test\" tests=\"" << report.results.size() << "\" failures=\""
     << report.failed << "\" errors=\"0\">\n";
  for (const std::string& file : files) {
    const auto& cases = by_file[file];
    size_t failures = std::count_if(cases.begin(), cases.end(),
                                    [](const RuleTestResult* r) { return !r->passed; });
    os << "  <testsuite name=\"" << XmlEscape(file) << "\" tests=\"" << cases.size()
       << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"0\">\n";
    for (const RuleTestResult* r : cases) {
      os << "    <testcase classname=\"" << XmlEscape(r->rule_id) << "\" name=\""
         << XmlEscape(r->name()) << "\"";
      if (!r->file.empty()) os << " file=\"" << XmlEscape(r->file) << "\"";
      if (r->diagnostic.location.line > 0) os << " line=\"" << r->diagnostic.location.line << "\"";
      if (r->passed) {
        os << "/>\n";
        continue;
      }
      os << ">\n      <failure type=\"" << XmlEscape(r->diagnostic.code) << "\" message=\""
         << XmlEscape(r->diagnostic.message) << "\">";
      std::string body = r->diagnostic.location.path.empty() ? r->diagnostic.message
                                                             : r->diagnostic.Headline();
      for (const std::string& n : r->notes) body += "\n" + n;
      os << XmlEscape(body) << "</failure>\n    </testcase>\n";
    }
    os << "  </testsuite>\n";
  }
  os << "</testsuites>\n";
  return os.str();
}

}  // namespace xuncha
