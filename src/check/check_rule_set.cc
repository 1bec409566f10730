// CheckRuleSet(): the rule-set-level checks, each problem a Diagnostic at the
// exact field. The expression-level checks (lexicon names in `when`, types,
// regexes) belong to the expression compiler (src/expr).
//
// The only entry point of this folder is CheckRuleSet().

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "base/spelling.h"
#include "base/utf8.h"
#include "expr/text_model.h"
#include "rules/rule_source.h"
#include "rules/text_lexer.h"
#include "xuncha/taxonomy.h"
#include "xuncha/v1/finding.pb.h"

namespace xuncha::check {

namespace {

using rules::FieldOffsets;
using rules::LoadedRuleSet;
using rules::SourceFile;

std::string Quote(std::string_view s) {
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}

std::string Indexed(std::string_view field, int i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

std::string Join(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::string_view s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

// Allowed in rule and pattern ids: letters, digits, '.', '_', '-'.
// Returns the offending character (its UTF-8 bytes), or "" when fine.
std::string BadIdChar(std::string_view id) {
  for (size_t i = 0; i < id.size();) {
    char c = id[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '_' || c == '-') {
      ++i;
      continue;
    }
    size_t begin = i;
    utf8::Decode(id, &i);
    return std::string(id.substr(begin, i - begin));
  }
  return "";
}

// "; did you mean "x"?" for a misspelt id or a Chinese name written for the
// id, else "; valid: a, b, c" when the list is short enough to help.
std::string Suggest(std::string_view value, const std::vector<TaxonomyEntry>& entries,
                    bool list_all) {
  std::vector<std::string_view> ids;
  for (const TaxonomyEntry& e : entries) {
    ids.push_back(e.id);
    // A Chinese name, or one of its '/'-separated alternatives.
    std::string_view name = e.name;
    while (!name.empty()) {
      size_t slash = name.find('/');
      std::string_view part = name.substr(0, slash);
      if (part == value) return "; did you mean " + Quote(e.id) + " (" + std::string(e.name) + ")?";
      if (slash == std::string_view::npos) break;
      name.remove_prefix(slash + 1);
    }
  }
  std::string close = spelling::Closest(value, ids);
  if (!close.empty()) return "; did you mean " + Quote(close) + "?";
  if (list_all) return "; valid: " + Join(ids);
  return "";
}

std::vector<TaxonomyEntry> CategoryEntries() {
  std::vector<TaxonomyEntry> out;
  for (const CategoryInfo& c : Taxonomy()) out.push_back(TaxonomyEntry{c.id, c.name});
  return out;
}

class Checker {
 public:
  Checker(const LoadedRuleSet& loaded, std::vector<Diagnostic>* out)
      : loaded_(loaded), set_(loaded.set), out_(out) {}

  void Run() {
    CheckHeader();
    CheckStages();
    CheckLexicons();
    CheckNegationCues();
    CheckModels();
    for (int i = 0; i < set_.rule_size(); ++i) CheckRule(i);
    CheckDuplicateRuleIds();
    for (int i = 0; i < set_.pattern_size(); ++i) CheckPattern(i);
    CheckDuplicatePatternIds();
  }

 private:
  // Where a diagnostic goes: a file and an offset (file may be null).
  struct Place {
    const SourceFile* file = nullptr;
    uint32_t offset = 0;
  };

  Place FirstFile() const {
    Place p;
    if (!loaded_.files.empty()) p.file = loaded_.files.front().get();
    return p;
  }

  // The field `key` of an element, else the element itself.
  static Place FieldPlace(const SourceFile* file, uint32_t element_offset,
                          const FieldOffsets& offsets, std::string_view key) {
    Place p;
    p.file = file;
    p.offset = element_offset;
    if (auto it = offsets.find(key); it != offsets.end()) p.offset = it->second;
    return p;
  }

  Place RulePlace(int i, std::string_view key) const {
    if (static_cast<size_t>(i) >= loaded_.rules.size()) return Place{};
    const rules::RuleSource& src = loaded_.rules[i];
    return FieldPlace(src.file, src.rule_offset, src.field_offsets, key);
  }
  Place LexiconPlace(int i, std::string_view key) const {
    if (static_cast<size_t>(i) >= loaded_.lexicons.size()) return Place{};
    const rules::LexiconSource& src = loaded_.lexicons[i];
    return FieldPlace(src.file, src.offset, src.field_offsets, key);
  }
  Place StagePlace(int i, std::string_view key) const {
    if (static_cast<size_t>(i) >= loaded_.stages.size()) return Place{};
    const rules::ElementSource& src = loaded_.stages[i];
    return FieldPlace(src.file, src.offset, src.field_offsets, key);
  }
  Place ModelPlace(int i, std::string_view key) const {
    if (static_cast<size_t>(i) >= loaded_.models.size()) return Place{};
    const rules::ElementSource& src = loaded_.models[i];
    if (!src.find_offsets || key.empty()) return FieldPlace(src.file, src.offset, src.field_offsets, key);
    // The model was read without positions: find them now, once per model.
    auto it = model_offsets_.find(i);
    if (it == model_offsets_.end()) it = model_offsets_.emplace(i, src.find_offsets()).first;
    return FieldPlace(src.file, src.offset, it->second, key);
  }
  Place PatternPlace(int i, std::string_view key) const {
    if (static_cast<size_t>(i) >= loaded_.patterns.size()) return Place{};
    const rules::PatternSource& src = loaded_.patterns[i];
    return FieldPlace(src.file, src.offset, src.field_offsets, key);
  }

  Diagnostic& Add(const Place& place, Severity severity, std::string message, std::string code,
                  std::string_view rule_id = {}) {
    uint32_t length = 1;
    if (place.file != nullptr) length = rules::TokenLength(*place.file, place.offset);
    out_->push_back(loaded_.At(place.file, place.offset, severity, std::move(message),
                               std::move(code), length));
    out_->back().rule_id = rules::internal::ToValidUtf8(std::string(rule_id));
    return out_->back();
  }

  // --- the set --------------------------------------------------------------
  void CheckHeader() {
    auto name = loaded_.header_fields.find("name");
    Place at = FirstFile();
    if (name != loaded_.header_fields.end()) at = Place{name->second.file, name->second.offset};
    // After a syntax error the name may only be missing because its line was
    // dropped; the syntax error says enough.
    // Nothing read at all (an empty directory): the loader has said so.
    if (loaded_.files.empty() && set_.rule_size() == 0) return;
    if (set_.name().empty() && loaded_.syntax_errors == 0) {
      Add(at, Severity::kError,
          name == loaded_.header_fields.end() ? "the rule set has no name (name: \"…\")"
                                              : "the rule set's name is empty",
          "missing-name");
    }
    if (set_.version().empty() && loaded_.syntax_errors == 0) {
      Add(at, Severity::kWarning,
          "the rule set has no version (version: \"…\"); results cannot name the rules they came "
          "from",
          "missing-version");
    }
  }

  void CheckStages() {
    std::map<std::string, int, std::less<>> seen;
    for (int i = 0; i < set_.stage_size(); ++i) {
      const std::string& name = set_.stage(i).name();
      if (name.empty()) {
        Add(StagePlace(i, "name"), Severity::kError, "stage without a name", "missing-stage-name");
        continue;
      }
      auto [it, inserted] = seen.emplace(name, i);
      if (!inserted) {
        Add(StagePlace(i, "name"), Severity::kError, "stage " + Quote(name) + " is declared twice",
            "duplicate-stage");
        Add(StagePlace(it->second, "name"), Severity::kNote, "first declared here",
            "duplicate-stage");
      }
    }
  }

  // --- text models ----------------------------------------------------------
  void CheckModels() {
    std::map<std::string, int, std::less<>> seen;
    for (int i = 0; i < set_.model_size(); ++i) {
      const v1::TextModel& m = set_.model(i);
      if (m.name().empty()) {
        Add(ModelPlace(i, ""), Severity::kError, "model without a name", "missing-model-name");
      } else if (auto [it, inserted] = seen.emplace(m.name(), i); !inserted) {
        Add(ModelPlace(i, "name"), Severity::kError,
            "model " + Quote(m.name()) + " is declared twice", "duplicate-model");
        Add(ModelPlace(it->second, "name"), Severity::kNote, "first declared here",
            "duplicate-model");
      }
      CheckModel(i);
    }
  }

  void CheckModel(int i) {
    const v1::TextModel& m = set_.model(i);
    const std::string who = "model " + Quote(m.name());
    // Labels.
    if (m.label_size() == 0) {
      Add(ModelPlace(i, "name"), Severity::kError, who + " has no labels (label: [\"…\", …])",
          "model-no-labels");
    }
    if (static_cast<uint64_t>(m.label_size()) > expr::kMaxModelLabels) {
      Add(ModelPlace(i, Indexed("label", static_cast<int>(expr::kMaxModelLabels))), Severity::kError,
          who + " has " + std::to_string(m.label_size()) + " labels, more than the limit of " +
              std::to_string(expr::kMaxModelLabels),
          "limit-model-labels");
    }
    std::map<std::string, int, std::less<>> labels;
    for (int l = 0; l < m.label_size(); ++l) {
      const std::string& label = m.label(l);
      if (label.empty()) {
        Add(ModelPlace(i, Indexed("label", l)), Severity::kError, "empty label in " + who,
            "model-empty-label");
      } else if (auto [it, inserted] = labels.emplace(label, l); !inserted) {
        Add(ModelPlace(i, Indexed("label", l)), Severity::kError,
            "label " + Quote(label) + " appears twice in " + who + " (first as label " +
                std::to_string(it->second) + ")",
            "model-duplicate-label");
      }
    }
    // Biases: one per label; feature biases: one per label, or none.
    auto per_label = [&](const google::protobuf::RepeatedField<double>& values,
                         const std::string& field, const std::string& noun, bool optional) {
      if (values.size() != m.label_size() && !(optional && values.empty())) {
        Add(ModelPlace(i, !values.empty() ? field + "[0]" : "name"), Severity::kError,
            who + " has " + std::to_string(values.size()) + " " + noun + "es for " +
                std::to_string(m.label_size()) + " labels; give one per label" +
                (optional ? ", or none" : ""),
            "model-bad-bias");
      }
      for (int b = 0; b < values.size(); ++b) {
        if (!std::isfinite(values.Get(b))) {
          Add(ModelPlace(i, Indexed(field, b)), Severity::kError,
              noun + " " + std::to_string(b) + " of " + who + " is not a finite number",
              "model-bad-bias");
        }
      }
    };
    per_label(m.bias(), "bias", "bias", /*optional=*/false);
    per_label(m.feature_bias(), "feature_bias", "feature bias", /*optional=*/true);
    // n-gram lengths.
    const bool n_ok = m.min_n() >= 1 && m.max_n() <= expr::kMaxModelN && m.min_n() <= m.max_n();
    if (!n_ok) {
      std::string key = m.min_n() < 1 || m.min_n() > expr::kMaxModelN ? "min_n" : "max_n";
      Add(ModelPlace(i, key), Severity::kError,
          who + " has min_n " + std::to_string(m.min_n()) + " and max_n " +
              std::to_string(m.max_n()) + "; n-grams need 1 <= min_n <= max_n <= " +
              std::to_string(expr::kMaxModelN),
          "model-bad-n");
    }
    // Features.
    if (static_cast<uint64_t>(m.feature_size()) > expr::kMaxModelFeatures) {
      Add(ModelPlace(i, "name"), Severity::kError,
          who + " has " + std::to_string(m.feature_size()) + " features, more than the limit of " +
              std::to_string(expr::kMaxModelFeatures),
          "limit-model-features");
      return;  // not worth checking each
    }
    constexpr int kMaxFeatureDiagnostics = 20;
    int reported = 0;
    // Places are looked up only for what is reported: a model has up to
    // millions of features.
    auto report = [&](int f, const std::string& field, std::string message, const char* code) {
      if (reported++ >= kMaxFeatureDiagnostics) return;
      std::string key = Indexed("feature", f);
      if (!field.empty()) key += "." + field;
      Add(ModelPlace(i, key), Severity::kError, std::move(message), code);
    };
    std::unordered_map<std::string_view, int> grams;
    grams.reserve(static_cast<size_t>(m.feature_size()));
    for (int f = 0; f < m.feature_size(); ++f) {
      const v1::TextModel::Feature& feature = m.feature(f);
      const std::string& gram = feature.gram();
      const size_t n = utf8::CountChars(gram);
      const std::string normalized = expr::NormalizeModelText(gram);
      if (normalized != gram) {
        report(f, "gram",
               "gram " + Quote(gram) + " of " + who + " is not normalized (write it as " +
                   Quote(normalized) +
                   ": full-width ASCII in half width, each run of digits as one 0)",
               "model-bad-gram");
      } else if (n_ok && (n < static_cast<size_t>(m.min_n()) || n > static_cast<size_t>(m.max_n()))) {
        report(f, "gram",
               "gram " + Quote(gram) + " of " + who + " has " + std::to_string(n) +
                   " characters; its n-grams have " + std::to_string(m.min_n()) + " to " +
                   std::to_string(m.max_n()),
               "model-bad-gram");
      }
      if (auto [it, inserted] = grams.emplace(gram, f); !inserted) {
        report(f, "gram",
               "gram " + Quote(gram) + " appears twice in " + who + " (first as feature " +
                   std::to_string(it->second) + ")",
               "model-duplicate-gram");
      }
      if (feature.label_index_size() != feature.weight_size()) {
        report(f, "",
               "feature " + Quote(gram) + " of " + who + " has " +
                   std::to_string(feature.label_index_size()) + " label indices and " +
                   std::to_string(feature.weight_size()) + " weights; they go in pairs",
               "model-bad-weight");
      }
      for (int k = 0; k < feature.label_index_size(); ++k) {
        const int32_t l = feature.label_index(k);
        if (l < 0 || l >= m.label_size()) {
          report(f, Indexed("label_index", k),
                 "label index " + std::to_string(l) + " of feature " + Quote(gram) +
                     " is out of range: " + who + " has " + std::to_string(m.label_size()) +
                     " labels (0.." + std::to_string(m.label_size() - 1) + ")",
                 "model-bad-weight");
        }
      }
      for (int k = 0; k < feature.weight_size(); ++k) {
        if (!std::isfinite(feature.weight(k))) {
          report(f, Indexed("weight", k),
                 "weight " + std::to_string(k) + " of feature " + Quote(gram) +
                     " is not a finite number",
                 "model-bad-weight");
        }
      }
    }
    if (reported > kMaxFeatureDiagnostics) {
      Add(ModelPlace(i, "name"), Severity::kNote,
          std::to_string(reported - kMaxFeatureDiagnostics) + " more problems with the features of " +
              who + " were not reported",
          "model-bad-gram");
    }
  }

  void CheckLexicons() {
    std::map<std::string, int, std::less<>> seen;
    for (int i = 0; i < set_.lexicon_size(); ++i) {
      const v1::Lexicon& lexicon = set_.lexicon(i);
      if (lexicon.name().empty()) {
        Add(LexiconPlace(i, "name"), Severity::kError, "lexicon without a name",
            "missing-lexicon-name");
      } else if (auto [it, inserted] = seen.emplace(lexicon.name(), i); !inserted) {
        Add(LexiconPlace(i, "name"), Severity::kError,
            "lexicon " + Quote(lexicon.name()) + " is declared twice", "duplicate-lexicon");
        Add(LexiconPlace(it->second, "name"), Severity::kNote, "first declared here",
            "duplicate-lexicon");
      }
      if (lexicon.terms_size() == 0) {
        Add(LexiconPlace(i, "name"), Severity::kError,
            "lexicon " + Quote(lexicon.name()) + " has no terms; lexicon(" + Quote(lexicon.name()) +
                ") would never match",
            "empty-lexicon");
        continue;
      }
      // Terms equal as written, or equal once full-width letters and digits
      // are folded (the matcher may fold; either way one is redundant).
      std::map<std::string, int, std::less<>> terms;
      for (int t = 0; t < lexicon.terms_size(); ++t) {
        const std::string& term = lexicon.terms(t);
        Place at = LexiconPlace(i, Indexed("terms", t));
        if (term.empty()) {
          Add(at, Severity::kError, "empty term in lexicon " + Quote(lexicon.name()),
              "empty-term");
          continue;
        }
        std::string folded = utf8::FoldWidth(term);
        auto [it, inserted] = terms.emplace(folded, t);
        if (!inserted) {
          const std::string& first = lexicon.terms(it->second);
          Add(at, Severity::kWarning,
              "term " + Quote(term) + " repeats " +
                  (first == term ? std::string("an earlier term")
                                 : Quote(first) + " (same after width folding)") +
                  " in lexicon " + Quote(lexicon.name()),
              "duplicate-term");
        }
        size_t pos = 0;
        char32_t cp = utf8::Decode(term, &pos);
        if (pos == term.size() && utf8::IsHan(cp)) {
          Add(at, Severity::kWarning,
              "term " + Quote(term) +
                  " is a single Chinese character; it matches inside many unrelated words",
              "short-keyword");
        }
        if (utf8::MixesWidths(term)) {
          Add(at, Severity::kWarning,
              "term " + Quote(term) +
                  " mixes full-width and half-width letters or digits; write one width",
              "mixed-width");
        }
      }
    }
  }

  void CheckNegationCues() {
    CheckCueList(set_.negation_cue(), loaded_.negation_cues);
    CheckCueList(set_.negation_cue_after(), loaded_.negation_cues_after);
  }

  void CheckCueList(const google::protobuf::RepeatedPtrField<std::string>& cues,
                    const std::vector<rules::ElementSource>& sources) {
    std::set<std::string, std::less<>> seen;
    for (int i = 0; i < cues.size(); ++i) {
      Place at = FirstFile();
      if (static_cast<size_t>(i) < sources.size()) at = Place{sources[i].file, sources[i].offset};
      const std::string& cue = cues.Get(i);
      if (cue.empty()) {
        Add(at, Severity::kError, "empty negation cue", "empty-negation-cue");
      } else if (!seen.insert(cue).second) {
        Add(at, Severity::kWarning, "negation cue " + Quote(cue) + " is listed twice",
            "duplicate-negation-cue");
      }
    }
  }

  // --- rules ----------------------------------------------------------------
  // Category and subcategory of a conclusion, an example's expectation or a
  // secondary reference. `prefix` is the offsets key prefix ("",
  // "secondary[1].", "examples[0].expect_").
  void CheckCategoryPair(int rule, const std::string& id, std::string_view category,
                         std::string_view subcategory, const std::string& category_key,
                         const std::string& subcategory_key, std::string_view code_prefix) {
    const std::string prefix(code_prefix);
    if (!category.empty() && !IsCategory(category)) {
      Add(RulePlace(rule, category_key), Severity::kError,
          "unknown category " + Quote(category) + Suggest(category, CategoryEntries(), true),
          prefix + "unknown-category", id);
      return;
    }
    if (subcategory.empty()) return;
    if (category.empty()) {
      Add(RulePlace(rule, subcategory_key), Severity::kError,
          "subcategory " + Quote(subcategory) + " without a category" + OwnerHint(subcategory),
          prefix + "subcategory-without-category", id);
      return;
    }
    if (!IsSubcategory(category, subcategory)) {
      Add(RulePlace(rule, subcategory_key), Severity::kError,
          SubcategoryMessage(category, subcategory), prefix + "unknown-subcategory", id);
    }
  }

  // "; it is a subcategory of "bidding"" when exactly that is known.
  static std::string OwnerHint(std::string_view subcategory) {
    std::vector<std::string_view> owners;
    for (const CategoryInfo& c : Taxonomy()) {
      for (const TaxonomyEntry& s : c.subcategories) {
        if (s.id == subcategory) owners.push_back(c.id);
      }
    }
    if (owners.empty()) return "";
    return "; it is a subcategory of " + Join(owners);
  }

  static std::string SubcategoryMessage(std::string_view category, std::string_view subcategory) {
    const CategoryInfo* info = FindCategory(category);
    std::string m = "unknown subcategory " + Quote(subcategory) + " of category " +
                    Quote(category) + " (" + std::string(info->name) + ")";
    std::string owner = OwnerHint(subcategory);
    if (!owner.empty()) return m + owner;
    return m + Suggest(subcategory, info->subcategories, true);
  }

  void CheckEnum(int rule, const std::string& rule_id, const std::string& key,
                 std::string_view value, const std::vector<TaxonomyEntry>& entries,
                 bool (*valid)(std::string_view), std::string_view what, const std::string& code) {
    if (value.empty() || valid(value)) return;
    Add(RulePlace(rule, key), Severity::kError,
        "unknown " + std::string(what) + " " + Quote(value) + Suggest(value, entries, true), code,
        rule_id);
  }

  void CheckExample(int rule, const std::string& id, const v1::RuleExample& example,
                    const std::string& key) {
    if (example.text().empty()) {
      Add(RulePlace(rule, key), Severity::kError,
          std::string(key.rfind("near", 0) == 0 ? "near miss" : "example") + " without text",
          "example-without-text", id);
    }
    if (!example.finding_json().empty()) {
      v1::Finding finding;
      auto status = google::protobuf::util::JsonStringToMessage(example.finding_json(), &finding);
      if (!status.ok()) {
        std::string why(status.message());
        Add(RulePlace(rule, key + ".finding_json"), Severity::kError,
            "finding_json is not a Finding in protobuf JSON: " + why, "bad-example-json", id);
      }
    }
    CheckCategoryPair(rule, id, example.expect_category(), example.expect_subcategory(),
                      key + ".expect_category", key + ".expect_subcategory", "");
    CheckEnum(rule, id, key + ".expect_discipline", example.expect_discipline(), Disciplines(),
              &IsDiscipline, "discipline", "unknown-discipline");
    CheckEnum(rule, id, key + ".expect_nature", example.expect_nature(), Natures(), &IsNature,
              "nature", "unknown-nature");
    CheckEnum(rule, id, key + ".expect_disposition", example.expect_disposition(), Dispositions(),
              &IsDisposition, "disposition", "unknown-disposition");
  }

  void CheckRule(int i) {
    const v1::Rule& rule = set_.rule(i);
    const std::string& id = rule.id();
    if (id.empty()) {
      Add(RulePlace(i, "id"), Severity::kError, "rule without an id", "missing-rule-id");
    } else if (std::string bad = BadIdChar(id); !bad.empty()) {
      Add(RulePlace(i, "id"), Severity::kError,
          "rule id " + Quote(id) + " contains " + Quote(bad) +
              "; ids use letters, digits, '.', '_' and '-'",
          "bad-rule-id", id);
    }
    if (rule.when().find_first_not_of(" \t\r\n") == std::string::npos) {
      Add(RulePlace(i, "when"), Severity::kError,
          "rule has no condition (when: '…'); it would fire on nothing", "missing-when", id);
    }
    if (!rule.stage().empty()) {
      bool found = false;
      std::vector<std::string_view> names;
      for (const v1::Stage& s : set_.stage()) {
        if (!s.name().empty() && std::find(names.begin(), names.end(), s.name()) == names.end()) {
          names.push_back(s.name());
        }
        found = found || s.name() == rule.stage();
      }
      if (!found && loaded_.syntax_errors == 0) {
        std::string m = "unknown stage " + Quote(rule.stage());
        if (names.empty()) {
          m += "; the set declares no stages (stage { name: \"…\" })";
        } else if (std::string close = spelling::Closest(rule.stage(), names); !close.empty()) {
          m += "; did you mean " + Quote(close) + "?";
        } else {
          m += "; declared: " + Join(names);
        }
        Add(RulePlace(i, "stage"), Severity::kError, std::move(m), "unknown-stage", id);
      }
    }

    CheckCategoryPair(i, id, rule.category(), rule.subcategory(), "category", "subcategory", "");
    for (int k = 0; k < rule.secondary_size(); ++k) {
      const v1::CategoryRef& ref = rule.secondary(k);
      std::string key = Indexed("secondary", k);
      if (ref.category().empty() && ref.subcategory().empty()) {
        Add(RulePlace(i, key), Severity::kError, "empty secondary category", "missing-category",
            id);
        continue;
      }
      CheckCategoryPair(i, id, ref.category(), ref.subcategory(), key + ".category",
                        key + ".subcategory", "");
      if (ref.category() == rule.category() && ref.subcategory() == rule.subcategory()) {
        Add(RulePlace(i, key), Severity::kWarning,
            "secondary category repeats the primary one", "duplicate-secondary", id);
      }
    }
    CheckEnum(i, id, "discipline", rule.discipline(), Disciplines(), &IsDiscipline, "discipline",
              "unknown-discipline");
    CheckEnum(i, id, "nature", rule.nature(), Natures(), &IsNature, "nature", "unknown-nature");
    CheckEnum(i, id, "disposition", rule.disposition(), Dispositions(), &IsDisposition,
              "disposition", "unknown-disposition");
    CheckEnum(i, id, "transfer_target", rule.transfer_target(), TransferTargets(),
              &IsTransferTarget, "transfer target", "unknown-transfer-target");
    if (!rule.transfer_target().empty() && rule.disposition() != "transfer_lead") {
      Add(RulePlace(i, "transfer_target"), Severity::kWarning,
          "transfer_target is only meaningful with disposition \"transfer_lead\"" +
              (rule.disposition().empty() ? std::string(" (the rule sets no disposition)")
                                          : " (the rule's is " + Quote(rule.disposition()) + ")"),
          "transfer-target-without-transfer", id);
    }

    if (!(rule.score() >= 0) || std::isinf(rule.score())) {
      Add(RulePlace(i, "score"), Severity::kError,
          "score " + FormatNumber(rule.score()) + " is out of range; it must be a finite number ≥ 0",
          "bad-score", id);
    }
    if (!(rule.confidence() >= 0 && rule.confidence() <= 1)) {
      Add(RulePlace(i, "confidence"), Severity::kError,
          "confidence " + FormatNumber(rule.confidence()) + " is out of range [0, 1]", "bad-score",
          id);
    }
    if (rule.deadline_days() < 0) {
      Add(RulePlace(i, "deadline_days"), Severity::kError,
          "deadline_days " + std::to_string(rule.deadline_days()) + " is negative", "bad-score", id);
    }
    for (int k = 0; k < rule.basis_size(); ++k) {
      if (rule.basis(k).regulation().empty()) {
        Add(RulePlace(i, Indexed("basis", k)), Severity::kError,
            "basis without a regulation (regulation: \"…\")", "basis-without-regulation", id);
      }
    }
    for (int k = 0; k < rule.examples_size(); ++k) {
      CheckExample(i, id, rule.examples(k), Indexed("examples", k));
    }
    for (int k = 0; k < rule.near_misses_size(); ++k) {
      CheckExample(i, id, rule.near_misses(k), Indexed("near_misses", k));
    }
    bool concludes = !rule.category().empty() || !rule.subcategory().empty() ||
                     rule.secondary_size() > 0 || !rule.discipline().empty() ||
                     !rule.nature().empty() || !rule.disposition().empty() ||
                     !rule.transfer_target().empty() || rule.deadline_days() != 0 ||
                     rule.basis_size() > 0 || rule.tags_size() > 0 || rule.needs_review();
    if (!concludes) {
      Place at = RulePlace(i, "");
      Add(at, Severity::kWarning,
          "rule " + Quote(id) + " draws no conclusion (no category, discipline, nature, "
          "disposition, basis or tags)",
          "no-conclusion", id);
    }
  }

  static std::string FormatNumber(double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", v);
    return buf;
  }

  void CheckDuplicateRuleIds() {
    std::map<std::string_view, int> first;
    for (int i = 0; i < set_.rule_size(); ++i) {
      const std::string& id = set_.rule(i).id();
      if (id.empty()) continue;
      auto [it, inserted] = first.emplace(id, i);
      if (inserted) continue;
      Add(RulePlace(i, "id"), Severity::kError, "duplicate rule id " + Quote(id),
          "duplicate-rule-id", id);
      Add(RulePlace(it->second, "id"), Severity::kNote, "rule " + Quote(id) + " first defined here",
          "duplicate-rule-id", id);
    }
  }

  // --- pattern definitions --------------------------------------------------
  void CheckPattern(int i) {
    const v1::PatternDef& p = set_.pattern(i);
    const std::string& id = p.id();
    auto add = [&](std::string_view key, Severity severity, std::string message,
                   std::string code) {
      Add(PatternPlace(i, key), severity, std::move(message), std::move(code), id);
    };
    if (id.empty()) {
      add("id", Severity::kError, "pattern definition without an id", "pattern-missing-id");
    } else if (std::string bad = BadIdChar(id); !bad.empty()) {
      add("id", Severity::kError,
          "pattern id " + Quote(id) + " contains " + Quote(bad) +
              "; ids use letters, digits, '.', '_' and '-'",
          "pattern-bad-id");
    }
    if (p.kind() == v1::PATTERN_KIND_UNSPECIFIED) {
      add("kind", Severity::kError,
          "pattern definition without a kind (kind: PATTERN_KIND_WIDESPREAD …)",
          "pattern-missing-kind");
    }
    if (!p.category().empty() && !IsCategory(p.category())) {
      add("category", Severity::kError,
          "unknown category " + Quote(p.category()) + Suggest(p.category(), CategoryEntries(), true),
          "pattern-unknown-category");
    } else if (!p.subcategory().empty()) {
      if (p.category().empty()) {
        add("subcategory", Severity::kError,
            "subcategory " + Quote(p.subcategory()) + " without a category" +
                OwnerHint(p.subcategory()),
            "pattern-subcategory-without-category");
      } else if (!IsSubcategory(p.category(), p.subcategory())) {
        add("subcategory", Severity::kError, SubcategoryMessage(p.category(), p.subcategory()),
            "pattern-unknown-subcategory");
      }
    }

    // Thresholds: 0 means the documented default, so only values that are
    // set are checked.
    auto bad = [&](std::string_view field, std::string message) {
      add(field, Severity::kError, std::string(field) + " " + message, "pattern-bad-threshold");
    };
    auto share = [&](std::string_view field, double v) {
      if (!(v >= 0 && v <= 1)) bad(field, FormatNumber(v) + " is out of range (0, 1]");
    };
    if (p.min_units() < 0) bad("min_units", std::to_string(p.min_units()) + " must be ≥ 1");
    share("min_unit_share", p.min_unit_share());
    if (p.min_findings() < 0) bad("min_findings", std::to_string(p.min_findings()) + " must be ≥ 1");
    share("min_line_share", p.min_line_share());
    share("similarity", p.similarity());
    if (p.shingle_chars() < 0 || p.shingle_chars() > 10) {
      bad("shingle_chars", std::to_string(p.shingle_chars()) + " is out of range 1..10");
    }
    if (p.min_peer_group() < 0) {
      bad("min_peer_group", std::to_string(p.min_peer_group()) + " must be ≥ 1");
    }
    if (!(p.iqr_k() >= 0) || std::isinf(p.iqr_k())) {
      bad("iqr_k", FormatNumber(p.iqr_k()) + " must be a finite number > 0");
    }
    if (p.threshold_fen() < 0) {
      bad("threshold_fen", std::to_string(p.threshold_fen()) + " must be > 0");
    } else if (p.kind() == v1::PATTERN_KIND_SPLIT_PURCHASE && p.threshold_fen() == 0) {
      add("kind", Severity::kError,
          "a split-purchase pattern needs threshold_fen (the tender threshold, in fen)",
          "pattern-missing-threshold");
    }
    static const std::vector<std::string_view> kGroupBy = {"unit", "business_line", "unit_kind"};
    static const std::vector<std::string_view> kMeasure = {"count", "amount", "per_head",
                                                           "per_contract"};
    auto one_of = [&](std::string_view field, const std::string& value,
                      const std::vector<std::string_view>& allowed, std::string code) {
      if (value.empty()) return;
      for (std::string_view a : allowed) {
        if (a == value) return;
      }
      std::string close = spelling::Closest(value, allowed);
      add(field, Severity::kError,
          "unknown " + std::string(field) + " " + Quote(value) +
              (close.empty() ? "; valid: " + Join(allowed) : "; did you mean " + Quote(close) + "?"),
          std::move(code));
    };
    one_of("group_by", p.group_by(), kGroupBy, "pattern-bad-group-by");
    one_of("measure", p.measure(), kMeasure, "pattern-bad-measure");

    // Settings that the pattern's kind does not read.
    if (p.kind() != v1::PATTERN_KIND_UNSPECIFIED) {
      const std::set<std::string_view>& used = FieldsOfKind(p.kind());
      static const std::vector<std::string_view> kTuning = {
          "min_units",     "min_unit_share", "min_findings", "min_line_share", "group_by",
          "similarity",    "shingle_chars",  "min_peer_group", "iqr_k",        "measure",
          "threshold_fen", "item_attr",      "method_attr",  "open_methods"};
      const FieldOffsets* offsets =
          static_cast<size_t>(i) < loaded_.patterns.size() ? &loaded_.patterns[i].field_offsets
                                                           : nullptr;
      for (std::string_view field : kTuning) {
        if (used.count(field) != 0 || offsets == nullptr) continue;
        std::string key(field);
        if (field == "open_methods") key += "[0]";
        if (offsets->count(key) == 0) continue;
        add(key, Severity::kWarning,
            std::string(field) + " does not apply to patterns of kind " +
                v1::PatternKind_Name(p.kind()),
            "pattern-irrelevant-field");
      }
    }
  }

  static const std::set<std::string_view>& FieldsOfKind(v1::PatternKind kind) {
    static const std::map<v1::PatternKind, std::set<std::string_view>> kFields = {
        {v1::PATTERN_KIND_WIDESPREAD, {"min_units", "min_unit_share"}},
        {v1::PATTERN_KIND_CONCENTRATED, {"min_findings", "min_line_share", "group_by"}},
        {v1::PATTERN_KIND_RECURRING, {}},
        {v1::PATTERN_KIND_SHARED_COUNTERPARTY, {"min_units", "min_findings"}},
        {v1::PATTERN_KIND_NEAR_DUPLICATE, {"similarity", "shingle_chars"}},
        {v1::PATTERN_KIND_OUTLIER_UNIT, {"min_peer_group", "iqr_k", "measure", "min_findings"}},
        {v1::PATTERN_KIND_SPLIT_PURCHASE,
         {"threshold_fen", "item_attr", "method_attr", "open_methods"}},
    };
    static const std::set<std::string_view> kAll = {
        "min_units", "min_unit_share", "min_findings", "min_line_share", "group_by",
        "similarity", "shingle_chars", "min_peer_group", "iqr_k", "measure",
        "threshold_fen", "item_attr", "method_attr", "open_methods"};
    auto it = kFields.find(kind);
    return it != kFields.end() ? it->second : kAll;  // unknown kinds: say nothing
  }

  void CheckDuplicatePatternIds() {
    std::map<std::string_view, int> first;
    for (int i = 0; i < set_.pattern_size(); ++i) {
      const std::string& id = set_.pattern(i).id();
      if (id.empty()) continue;
      auto [it, inserted] = first.emplace(id, i);
      if (inserted) continue;
      Add(PatternPlace(i, "id"), Severity::kError, "duplicate pattern id " + Quote(id),
          "pattern-duplicate-id");
      Add(PatternPlace(it->second, "id"), Severity::kNote,
          "pattern " + Quote(id) + " first defined here", "pattern-duplicate-id");
    }
  }

  const LoadedRuleSet& loaded_;
  const v1::RuleSet& set_;
  std::vector<Diagnostic>* out_;
  // Positions of the fields of models read without them (ModelPlace).
  mutable std::map<int, rules::FieldOffsets> model_offsets_;
};

}  // namespace

void CheckRuleSet(const rules::LoadedRuleSet& loaded, std::vector<Diagnostic>* diagnostics) {
  Checker(loaded, diagnostics).Run();
}

}  // namespace xuncha::check
