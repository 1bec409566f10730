// Text predicates: terms, the predicate table, the naive oracle, and THE
// meaning of every predicate (EvaluatePredicate / PredicateSpans).
//
// Design note: negation scopes (negated / affirmed).
//   A term occurrence [s, e) is *negated* when one of these holds:
//   1. it lies inside an occurrence of a cue (the "存在" of "不存在");
//   2. a before-cue (未发现, 不存在, 均已按规定 …) ends at or before s, at
//      most kCueBeforeWindow code points before s, and the text between the
//      cue and the term holds no sentence end (。；;！!？?, newline) and no
//      contrast word (但, 然而, 却, 不过, 另外, 此外): "未发现违规，但存在围标"
//      negates 违规, not 围标. Commas do not end the scope, because a cue
//      like 未发现 usually governs an enumeration: "未发现超标准接待、公车私用".
//   3. an after-cue (不属实, 予以澄清, 予以了结, 已整改到位, 已叫停, 总体良好,
//      未见异常) starts at or after e, at most kCueAfterWindow code points
//      after e, with no sentence end between them ("反映…兼职取酬，经核实…，
//      予以了结。"). Contrast words do not stop an after-cue.
//   negated(A) is true when some term of A occurs and every occurrence of
//   every term of A is negated; affirmed(A) when some occurrence is not.
//
// Design note: near(A, B, n).
//   True when some occurrence of a term of A and some occurrence of a term of
//   B start at most n code points apart: |char(start_a) - char(start_b)| ≤ n,
//   in either order, overlapping allowed. "违规" and "发包" in "违规发包" are 2
//   apart, so near("违规", "发包", 2) is true and near(…, 1) false. A term in
//   both A and B is 0 away from itself: one occurrence of it is enough.

#include <algorithm>
#include <cstring>

#include "base/utf8.h"
#include "expr/expr.h"
#include "re2/filtered_re2.h"

namespace xuncha::expr {

namespace {

constexpr uint32_t kCueBeforeWindow = 30;  // code points from cue end to term start
constexpr uint32_t kCueAfterWindow = 60;   // code points from term end to cue start

const char* const kSentenceEnds[] = {"。", "；", ";", "！", "!", "？", "?", "\n", "\r"};
const char* const kContrastWords[] = {"但", "然而", "却", "不过", "另外", "此外"};

bool ContainsAnyOf(std::string_view span, const char* const* words, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (span.find(words[i]) != std::string_view::npos) return true;
  }
  return false;
}

bool HasSentenceEnd(std::string_view span) {
  return ContainsAnyOf(span, kSentenceEnds, std::size(kSentenceEnds));
}
bool HasContrast(std::string_view span) {
  return ContainsAnyOf(span, kContrastWords, std::size(kContrastWords));
}

struct Occ {
  uint32_t begin, end;
};

// Every occurrence of the given terms, sorted by position.
std::vector<Occ> AllOccurrences(const PredicateTable& table, const std::vector<uint32_t>& terms,
                                TextOracle& oracle) {
  std::vector<Occ> out;
  for (uint32_t t : terms) {
    uint32_t len = static_cast<uint32_t>(table.terms().term(t).size());
    for (uint32_t b : oracle.Occurrences(t)) out.push_back({b, b + len});
  }
  std::sort(out.begin(), out.end(), [](const Occ& a, const Occ& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  return out;
}

bool IsNegated(const Occ& o, const std::vector<Occ>& before, const std::vector<Occ>& after,
               TextOracle& oracle) {
  std::string_view text = oracle.text();
  for (const std::vector<Occ>* cues : {&before, &after}) {
    for (const Occ& c : *cues) {
      if (c.begin <= o.begin && o.end <= c.end) return true;
    }
  }
  for (const Occ& c : before) {
    if (c.begin >= o.begin) break;  // sorted by begin
    if (c.end > o.begin) continue;
    if (oracle.CharIndex(o.begin) - oracle.CharIndex(c.end) > kCueBeforeWindow) continue;
    std::string_view between = text.substr(c.end, o.begin - c.end);
    if (HasSentenceEnd(between) || HasContrast(between)) continue;
    return true;
  }
  for (const Occ& c : after) {
    if (c.begin < o.end) continue;
    if (oracle.CharIndex(c.begin) - oracle.CharIndex(o.end) > kCueAfterWindow) break;
    std::string_view between = text.substr(o.end, c.begin - o.end);
    if (HasSentenceEnd(between)) break;
    return true;
  }
  return false;
}

// Occurrences of the predicate's terms, each with whether it is negated.
std::vector<std::pair<Occ, bool>> ClassifyOccurrences(const PredicateTable& table,
                                                      const TextPredicate& p,
                                                      TextOracle& oracle) {
  std::vector<Occ> occ = AllOccurrences(table, p.terms, oracle);
  std::vector<std::pair<Occ, bool>> out;
  if (occ.empty()) return out;
  std::vector<Occ> before = AllOccurrences(table, table.cues_before(), oracle);
  std::vector<Occ> after = AllOccurrences(table, table.cues_after(), oracle);
  for (const Occ& o : occ) out.push_back({o, IsNegated(o, before, after, oracle)});
  return out;
}

// Code-point starts of the occurrences of `terms`, sorted.
std::vector<uint32_t> CharStarts(const std::vector<Occ>& occ, TextOracle& oracle) {
  std::vector<uint32_t> out;
  out.reserve(occ.size());
  for (const Occ& o : occ) out.push_back(oracle.CharIndex(o.begin));
  return out;
}

bool WithinDistance(uint32_t a, uint32_t b, uint32_t n) {
  return (a > b ? a - b : b - a) <= n;
}

}  // namespace

// ---------------------------------------------------------------------------

uint32_t TermTable::Intern(std::string_view term) {
  auto it = ids_.find(term);
  if (it != ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(terms_.size());
  terms_.emplace_back(term);
  ids_.emplace(std::string(term), id);
  return id;
}

uint32_t PredicateTable::Intern(const TextPredicate& p) {
  TextPredicate q = p;
  auto norm = [](std::vector<uint32_t>* v) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  };
  norm(&q.terms);
  norm(&q.terms_b);
  if (q.kind != PredicateKind::kNear) {
    q.terms_b.clear();
    q.max_chars = 0;
  }
  if (q.kind != PredicateKind::kMatches) q.regex_id = 0;
  std::string key = std::to_string(static_cast<int>(q.kind)) + "|" + std::to_string(q.max_chars) +
                    "|" + std::to_string(q.regex_id) + "|";
  for (uint32_t t : q.terms) key += std::to_string(t) + ",";
  key += "|";
  for (uint32_t t : q.terms_b) key += std::to_string(t) + ",";
  auto it = predicate_ids_.find(key);
  if (it != predicate_ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(predicates_.size());
  predicates_.push_back(std::move(q));
  predicate_ids_.emplace(std::move(key), id);
  return id;
}

StatusOr<uint32_t> PredicateTable::InternRegex(std::string_view pattern, int64_t max_mem,
                                               int max_program_size) {
  std::string key = std::to_string(max_mem) + "|" + std::to_string(max_program_size) + "|" +
                    std::string(pattern);
  auto it = regex_ids_.find(key);
  if (it != regex_ids_.end()) return it->second;
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_max_mem(max_mem);
  auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    std::string m = re->error();
    if (!re->error_arg().empty() && m.find(re->error_arg()) == std::string::npos) {
      m += ": " + re->error_arg();
    }
    return InvalidArgumentError(m);
  }
  if (re->ProgramSize() > max_program_size) {
    return InvalidArgumentError("regex program size " + std::to_string(re->ProgramSize()) +
                                " exceeds the limit of " + std::to_string(max_program_size));
  }
  uint32_t id = static_cast<uint32_t>(regexes_.size());
  regexes_.push_back(std::move(re));
  regex_ids_.emplace(std::move(key), id);
  return id;
}

bool PredicateTable::HasPrefilterAtoms(uint32_t id) {
  if (regex_has_atoms_.size() < regexes_.size()) regex_has_atoms_.resize(regexes_.size(), -1);
  if (regex_has_atoms_[id] < 0) {
    const RE2& re = *regexes_[id];
    re2::FilteredRE2 filter(1);
    int index = 0;
    bool has = false;
    if (filter.Add(re.pattern(), re.options(), &index) == RE2::NoError) {
      std::vector<std::string> atoms;
      filter.Compile(&atoms);
      has = !atoms.empty();
    }
    regex_has_atoms_[id] = has ? 1 : 0;
  }
  return regex_has_atoms_[id] == 1;
}

void PredicateTable::SetNegationCues(const std::vector<std::string>& before,
                                     const std::vector<std::string>& after) {
  cues_before_.clear();
  cues_after_.clear();
  for (const std::string& c : before) {
    if (!c.empty()) cues_before_.push_back(terms_->Intern(c));
  }
  for (const std::string& c : after) {
    if (!c.empty()) cues_after_.push_back(terms_->Intern(c));
  }
}

const std::vector<std::string>& DefaultNegationCuesBefore() {
  // Bare 无 / 未 / 没有 / 未见 are left out on purpose: "未按规定招标",
  // "没有履行程序", "未见审批手续" state violations. 经查 introduces facts.
  static const auto* cues = new std::vector<std::string>{
      "未发现", "没有发现", "不存在", "并无", "查无", "均已按规定", "已按规定", "均按规定",
      "经核实不存在", "经核实不属实"};
  return *cues;
}

const std::vector<std::string>& DefaultNegationCuesAfter() {
  static const auto* cues = new std::vector<std::string>{
      "不属实", "予以澄清", "予以了结", "已整改到位", "已叫停", "总体良好", "未见异常"};
  return *cues;
}

// ---------------------------------------------------------------------------

NaiveOracle::NaiveOracle(const PredicateTable* table, std::string_view text)
    : table_(table), text_(text) {}

std::span<const uint32_t> NaiveOracle::Occurrences(uint32_t term_id) {
  auto it = cache_.find(term_id);
  if (it == cache_.end()) {
    std::vector<uint32_t> found;
    const std::string& term = table_->terms().term(term_id);
    if (!term.empty()) {
      for (size_t pos = text_.find(term); pos != std::string_view::npos;
           pos = text_.find(term, pos + 1)) {
        found.push_back(static_cast<uint32_t>(pos));
      }
    }
    it = cache_.emplace(term_id, std::move(found)).first;
  }
  return it->second;
}

StatusOr<bool> NaiveOracle::RegexMatches(uint32_t regex_id) {
  const RE2& re = table_->regex(regex_id);
  // RE2 (2022-06) falls back from the DFA to the NFA when the DFA's memory
  // budget runs out, so a search that returns false really found nothing —
  // except for a regex that failed to compile, which Match() also answers
  // with false. That case is an error here, never "no match".
  if (!re.ok()) return InternalError("regex /" + re.pattern() + "/ is unusable: " + re.error());
  return RE2::PartialMatch(re2::StringPiece(text_.data(), text_.size()), re);
}

std::optional<std::pair<uint32_t, uint32_t>> NaiveOracle::RegexSpan(uint32_t regex_id) {
  const RE2& re = table_->regex(regex_id);
  re2::StringPiece text(text_.data(), text_.size());
  re2::StringPiece m;
  if (!re.ok() || !re.Match(text, 0, text.size(), RE2::UNANCHORED, &m, 1)) return std::nullopt;
  uint32_t b = static_cast<uint32_t>(m.data() - text.data());
  return std::make_pair(b, b + static_cast<uint32_t>(m.size()));
}

uint32_t NaiveOracle::CharIndex(uint32_t byte_offset) {
  if (char_index_.empty()) {
    char_index_.resize(text_.size() + 1);
    // A byte inside a character maps to that character; the end to the count.
    int64_t current = -1;
    for (size_t i = 0; i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80 || current < 0) ++current;
      char_index_[i] = static_cast<uint32_t>(current);
    }
    char_index_[text_.size()] = static_cast<uint32_t>(current + 1);
  }
  if (byte_offset > text_.size()) byte_offset = static_cast<uint32_t>(text_.size());
  return char_index_[byte_offset];
}

// ---------------------------------------------------------------------------

StatusOr<bool> EvaluatePredicate(const PredicateTable& table, uint32_t predicate_id,
                                 TextOracle& oracle) {
  const TextPredicate& p = table.predicate(predicate_id);
  switch (p.kind) {
    case PredicateKind::kContains:
    case PredicateKind::kContainsAny:
      for (uint32_t t : p.terms) {
        if (!oracle.Occurrences(t).empty()) return true;
      }
      return false;
    case PredicateKind::kStartsWith:
      for (uint32_t t : p.terms) {
        auto occ = oracle.Occurrences(t);
        if (!occ.empty() && occ.front() == 0) return true;
      }
      return false;
    case PredicateKind::kEndsWith: {
      size_t n = oracle.text().size();
      for (uint32_t t : p.terms) {
        auto occ = oracle.Occurrences(t);
        if (!occ.empty() && occ.back() + table.terms().term(t).size() == n) return true;
      }
      return false;
    }
    case PredicateKind::kNear: {
      std::vector<uint32_t> a = CharStarts(AllOccurrences(table, p.terms, oracle), oracle);
      if (a.empty()) return false;
      std::vector<uint32_t> b = CharStarts(AllOccurrences(table, p.terms_b, oracle), oracle);
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      // For each a, the nearest b is next to its lower bound.
      for (uint32_t x : a) {
        auto it = std::lower_bound(b.begin(), b.end(), x);
        if (it != b.end() && WithinDistance(x, *it, p.max_chars)) return true;
        if (it != b.begin() && WithinDistance(x, *(it - 1), p.max_chars)) return true;
      }
      return false;
    }
    case PredicateKind::kNegated:
    case PredicateKind::kAffirmed: {
      auto occ = ClassifyOccurrences(table, p, oracle);
      if (occ.empty()) return false;
      bool any_affirmed = false;
      for (const auto& [o, negated] : occ) {
        if (!negated) any_affirmed = true;
      }
      return p.kind == PredicateKind::kNegated ? !any_affirmed : any_affirmed;
    }
    case PredicateKind::kMatches:
      return oracle.RegexMatches(p.regex_id);
  }
  return InternalError("unknown predicate kind");
}

std::vector<std::pair<uint32_t, uint32_t>> PredicateSpans(const PredicateTable& table,
                                                          uint32_t predicate_id,
                                                          TextOracle& oracle) {
  const TextPredicate& p = table.predicate(predicate_id);
  std::vector<std::pair<uint32_t, uint32_t>> out;
  const uint32_t n = static_cast<uint32_t>(oracle.text().size());
  switch (p.kind) {
    case PredicateKind::kContains:
    case PredicateKind::kContainsAny:
      for (const Occ& o : AllOccurrences(table, p.terms, oracle)) out.push_back({o.begin, o.end});
      break;
    case PredicateKind::kStartsWith:
      for (uint32_t t : p.terms) {
        auto occ = oracle.Occurrences(t);
        if (!occ.empty() && occ.front() == 0) {
          out.push_back({0, static_cast<uint32_t>(table.terms().term(t).size())});
        }
      }
      break;
    case PredicateKind::kEndsWith:
      for (uint32_t t : p.terms) {
        auto occ = oracle.Occurrences(t);
        uint32_t len = static_cast<uint32_t>(table.terms().term(t).size());
        if (!occ.empty() && occ.back() + len == n) out.push_back({n - len, n});
      }
      break;
    case PredicateKind::kNear: {
      std::vector<Occ> a = AllOccurrences(table, p.terms, oracle);
      std::vector<Occ> b = AllOccurrences(table, p.terms_b, oracle);
      for (const Occ& x : a) {
        for (const Occ& y : b) {
          if (WithinDistance(oracle.CharIndex(x.begin), oracle.CharIndex(y.begin), p.max_chars)) {
            out.push_back({x.begin, x.end});
            out.push_back({y.begin, y.end});
          }
        }
      }
      break;
    }
    case PredicateKind::kNegated:
    case PredicateKind::kAffirmed:
      for (const auto& [o, negated] : ClassifyOccurrences(table, p, oracle)) {
        if (negated == (p.kind == PredicateKind::kNegated)) out.push_back({o.begin, o.end});
      }
      break;
    case PredicateKind::kMatches:
      if (auto span = oracle.RegexSpan(p.regex_id)) out.push_back(*span);
      break;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace xuncha::expr
