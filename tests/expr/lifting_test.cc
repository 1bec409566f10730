// Lifting of text calls into shared predicates, Requirements, the naive
// oracle, predicate spans and the predicate cache.

#include <string>
#include <thread>
#include <vector>

#include "expr/expr_test_util.h"
#include "gtest/gtest.h"

namespace xuncha::expr::testing {
namespace {

std::string RenderRequirement(const Requirement& r) {
  switch (r.kind) {
    case Requirement::kAll: return "*";
    case Requirement::kPredicate: return "p" + std::to_string(r.predicate_id);
    case Requirement::kAnd:
    case Requirement::kOr: {
      std::string out = r.kind == Requirement::kAnd ? "and(" : "or(";
      for (size_t i = 0; i < r.children.size(); ++i) {
        if (i > 0) out += ", ";
        out += RenderRequirement(r.children[i]);
      }
      return out + ")";
    }
  }
  return "?";
}

TEST(ExprLiftingTest, RequirementShapes) {
  TestEnv env(/*require_bool=*/true);
  struct Case {
    const char* src;
    const char* want;
  };
  // Predicate ids are dense in order of first interning: "招标" p0,
  // mentions("围标") p1, matches p2, ….
  const Case cases[] = {
      {"text.contains(\"招标\") && (mentions(\"围标\") || text.matches(\"未.*招标\"))", "and(p0, or(p1, p2))"},
      {"!text.contains(\"招标\")", "*"},
      {"text.contains(\"招标\") || amount > wan(1)", "*"},
      {"text.contains(\"招标\") && amount > wan(1)", "p0"},
      {"amount > wan(1) && text.contains(\"招标\") && mentions(\"围标\")", "and(p0, p1)"},
      {"near(\"违规\", \"发包\", 5) || negated(\"违规\")", "or(p3, p4)"},
      {"text.contains(\"招标\") ? true : false", "*"},
      {"unit.name.contains(\"招标\")", "*"},
      {"text.startsWith(\"关于\") && text.endsWith(\"问题\")", "and(p5, p6)"},
      {"text.contains(\"招标\") || 1 > 2", "p0"},  // a constant false alternative drops out
      {"text.contains(\"招标\") || text.contains(\"\")", "*"},  // folded to true
  };
  for (const Case& c : cases) {
    std::vector<ExprDiagnostic> diags;
    auto p = env.Compile(c.src, &diags);
    ASSERT_NE(p, nullptr) << c.src << ": " << TestEnv::Render(diags);
    EXPECT_EQ(RenderRequirement(p->requirement()), c.want) << c.src;
  }
}

TEST(ExprLiftingTest, PredicatesAreInternedAndShared) {
  TestEnv env(/*require_bool=*/true);
  std::vector<ExprDiagnostic> diags;
  auto a = env.Compile("text.contains(\"招标\") && text.matches(\"未.*招标\")", &diags);
  auto b = env.Compile("finding.text.contains(\"招标\") || text.matches(\"未.*招标\")", &diags);
  auto c = env.Compile("mentions(\"围标\")", &diags);
  auto d = env.Compile("text.containsAny(lexicon(\"围标\")) && text.containsAny([\"陪标\", \"串标\", \"围标\"])", &diags);
  ASSERT_TRUE(a && b && c && d) << TestEnv::Render(diags);
  EXPECT_EQ(a->predicates(), b->predicates());
  EXPECT_EQ(a->predicates(), (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(c->predicates(), (std::vector<uint32_t>{2}));
  EXPECT_EQ(d->predicates(), (std::vector<uint32_t>{2}));  // same terms, same predicate
  EXPECT_EQ(env.table().size(), 3u);
  EXPECT_EQ(env.table().regex_count(), 1u);
  const TextPredicate& p = env.table().predicate(0);
  EXPECT_EQ(p.kind, PredicateKind::kContains);
  ASSERT_EQ(p.terms.size(), 1u);
  EXPECT_EQ(env.terms().term(p.terms[0]), "招标");
  const TextPredicate& any = env.table().predicate(2);
  EXPECT_EQ(any.kind, PredicateKind::kContainsAny);
  EXPECT_EQ(any.terms.size(), 3u);
  EXPECT_TRUE(std::is_sorted(any.terms.begin(), any.terms.end()));
  // Terms are interned once across predicates.
  size_t before = env.terms().size();
  auto e = env.Compile("near(\"招标\", lexicon(\"围标\"), 10)", &diags);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(env.terms().size(), before);
  const TextPredicate& near = env.table().predicate(e->predicates()[0]);
  EXPECT_EQ(near.kind, PredicateKind::kNear);
  EXPECT_EQ(near.max_chars, 10u);
  EXPECT_EQ(near.terms_b.size(), 3u);
}

TEST(ExprLiftingTest, ConstantFolding) {
  TestEnv env(/*require_bool=*/true);
  std::vector<ExprDiagnostic> diags;
  // "" is in every text; containsAny of nothing is false.
  auto p = env.Compile("text.contains(\"\")", &diags);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->predicates().empty());
  EXPECT_EQ(env.Eval("text.contains(\"\")"), "true");
  EXPECT_EQ(env.Eval("text.containsAny([])"), "false");
  EXPECT_EQ(env.Eval("mentions(\"空\")"), "false");
  EXPECT_EQ(env.Eval("1 + 2 == 3 && wan(1) == 1000000"), "true");
}

TEST(ExprLiftingTest, NonConstantArgumentsAreEvaluatedDirectly) {
  TestEnv env;
  v1::Finding f = TextFinding("A公司与某劳务公司签订合同");
  f.mutable_unit()->set_name("A公司");
  auto* c = f.add_counterparties();
  c->set_name("某劳务公司");
  std::vector<ExprDiagnostic> diags;
  auto p = env.Compile("counterparties.exists(c, text.contains(c.name)) && text.startsWith(unit.name)", &diags);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->predicates().empty());
  EXPECT_EQ(env.Eval("counterparties.exists(c, text.contains(c.name)) && text.startsWith(unit.name)", f), "true");
  // A macro variable named like a root variable shadows it: not lifted.
  EXPECT_EQ(env.Eval("[\"招标\"].exists(text, text.contains(\"招\"))", f), "true");
}

class FailingOracle final : public TextOracle {
 public:
  explicit FailingOracle(std::string_view text) : text_(text) {}
  std::string_view text() const override { return text_; }
  std::span<const uint32_t> Occurrences(uint32_t) override { return {}; }
  StatusOr<bool> RegexMatches(uint32_t) override {
    return ResourceExhaustedError("regex ran out of memory");
  }
  uint32_t CharIndex(uint32_t b) override { return b; }
  std::optional<std::pair<uint32_t, uint32_t>> RegexSpan(uint32_t) override { return std::nullopt; }

 private:
  std::string_view text_;
};

// One finding evaluated against an oracle whose regex searches all fail,
// with a predicate cache sized for `env`'s table.
struct FailingRun {
  FailingRun(TestEnv& env, const std::string& text)
      : finding(TextFinding(text)), oracle(finding.text()), cache(env.table().size(), -1) {
    act.finding = &finding;
    act.oracle = &oracle;
    act.predicate_cache = cache.data();
  }
  v1::Finding finding;
  FailingOracle oracle;
  std::vector<int8_t> cache;
  Activation act;
};

TEST(ExprLiftingTest, PredicateErrorsAreErrorsAndCached) {
  TestEnv env(/*require_bool=*/true);
  std::vector<ExprDiagnostic> diags;
  auto p = env.Compile("text.matches(\"招标.*\") || text.contains(\"x\")", &diags);
  ASSERT_NE(p, nullptr);
  FailingRun run(env, "招标");
  EvalOutcome out = p->Evaluate(run.act);
  EXPECT_EQ(out.kind, EvalOutcome::kError);
  EXPECT_EQ(out.error, "regex ran out of memory");
  EXPECT_EQ(run.cache[0], 2);
  EXPECT_EQ(run.cache[1], 0);
  // A cached value is used without asking the oracle.
  run.cache[0] = 1;
  out = p->Evaluate(run.act);
  EXPECT_EQ(out.kind, EvalOutcome::kBool);
  EXPECT_TRUE(out.value);
}

TEST(ExprLiftingTest, CheapOperandsAreEvaluatedFirst) {
  TestEnv env(/*require_bool=*/true);
  std::vector<ExprDiagnostic> diags;
  // The regex stands first in the source; the term lookup is cheaper and,
  // being false, decides the && without the regex ever being searched.
  auto p = env.Compile("text.matches(\"招标.*\") && text.contains(\"x\")", &diags);
  ASSERT_NE(p, nullptr);
  {
    FailingRun run(env, "招标");
    EvalOutcome out = p->Evaluate(run.act);
    ASSERT_EQ(out.kind, EvalOutcome::kBool);
    EXPECT_FALSE(out.value);
    EXPECT_EQ(run.cache[0], -1);  // the regex: never asked
    EXPECT_EQ(run.cache[1], 0);
  }
  {
    // A traced evaluation goes in source order and reaches the same result
    // (CEL's && is commutative: false wins over the regex's error).
    FailingRun run(env, "招标");
    std::vector<TraceStep> steps;
    EvalOutcome out = p->EvaluateTraced(run.act, &steps);
    ASSERT_EQ(out.kind, EvalOutcome::kBool);
    EXPECT_FALSE(out.value);
    EXPECT_EQ(run.cache[0], 2);
  }
  {
    // Two errors: the cheap division fails first, but the error reported is
    // the regex's, which stands first in the source.
    auto q = env.Compile("text.matches(\"招标.*\") || amount / 0 > 1", &diags);
    ASSERT_NE(q, nullptr) << TestEnv::Render(diags);
    FailingRun run(env, "招标");
    EvalOutcome out = q->Evaluate(run.act);
    ASSERT_EQ(out.kind, EvalOutcome::kError);
    EXPECT_EQ(out.error, "regex ran out of memory");
  }
}

TEST(ExprLiftingTest, NoAllocationShapesEvaluate) {
  // The common path: lifted predicates, comparisons with constants.
  TestEnv env(/*require_bool=*/true);
  std::vector<ExprDiagnostic> diags;
  auto p = env.Compile(
      "(text.contains(\"招标\") || mentions(\"围标\")) && amount >= wan(400) && unit.kind == \"branch\"",
      &diags);
  ASSERT_NE(p, nullptr);
  v1::Finding f = TextFinding("未招标");
  f.mutable_unit()->set_kind("branch");
  NaiveOracle oracle(&env.table(), f.text());
  Activation act;
  act.finding = &f;
  act.oracle = &oracle;
  act.amount_fen = 500000000;
  EvalOutcome out = p->Evaluate(act);
  EXPECT_EQ(out.kind, EvalOutcome::kBool);
  EXPECT_TRUE(out.value);
  EXPECT_EQ(p->result_type(), "bool");
}

// ---------------------------------------------------------------------------
// The naive oracle and the predicate semantics.

TEST(ExprOracleTest, OccurrencesOverlapAndCharIndex) {
  TermTable terms;
  PredicateTable table(&terms);
  uint32_t aa = terms.Intern("aa");
  uint32_t han = terms.Intern("啊啊");
  uint32_t none = terms.Intern("zz");
  EXPECT_EQ(terms.Intern("aa"), aa);
  NaiveOracle o1(&table, "aaaa");
  auto occ = o1.Occurrences(aa);
  EXPECT_EQ(std::vector<uint32_t>(occ.begin(), occ.end()), (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_TRUE(o1.Occurrences(none).empty());
  NaiveOracle o2(&table, "啊啊啊x啊啊");
  occ = o2.Occurrences(han);
  EXPECT_EQ(std::vector<uint32_t>(occ.begin(), occ.end()), (std::vector<uint32_t>{0, 3, 10}));
  EXPECT_EQ(o2.CharIndex(0), 0u);
  EXPECT_EQ(o2.CharIndex(3), 1u);
  EXPECT_EQ(o2.CharIndex(4), 1u);  // inside a character: that character
  EXPECT_EQ(o2.CharIndex(9), 3u);
  EXPECT_EQ(o2.CharIndex(10), 4u);
  EXPECT_EQ(o2.CharIndex(16), 6u);  // the end
}

TEST(ExprOracleTest, EvaluateAndSpans) {
  TermTable terms;
  PredicateTable table(&terms);
  table.SetNegationCues(DefaultNegationCuesBefore(), DefaultNegationCuesAfter());
  auto pred = [&](PredicateKind k, std::vector<std::string> a, std::vector<std::string> b = {},
                  uint32_t n = 0) {
    TextPredicate p;
    p.kind = k;
    for (auto& t : a) p.terms.push_back(terms.Intern(t));
    for (auto& t : b) p.terms_b.push_back(terms.Intern(t));
    p.max_chars = n;
    return table.Intern(p);
  };
  std::string text = "关于违规发包问题。未发现违规，存在围标问题";
  uint32_t contains = pred(PredicateKind::kContains, {"违规"});
  uint32_t starts = pred(PredicateKind::kStartsWith, {"关于"});
  uint32_t ends = pred(PredicateKind::kEndsWith, {"问题"});
  uint32_t ends_no = pred(PredicateKind::kEndsWith, {"关于"});
  uint32_t any = pred(PredicateKind::kContainsAny, {"串标", "围标"});
  uint32_t near = pred(PredicateKind::kNear, {"违规"}, {"发包"}, 2);
  uint32_t affirmed = pred(PredicateKind::kAffirmed, {"违规"});
  uint32_t negated = pred(PredicateKind::kNegated, {"违规"});
  auto re = table.InternRegex("围.问题", 8 << 20, 20000);
  ASSERT_TRUE(re.ok());
  TextPredicate mp;
  mp.kind = PredicateKind::kMatches;
  mp.regex_id = *re;
  uint32_t matches = table.Intern(mp);
  EXPECT_EQ(table.Intern(mp), matches);
  EXPECT_EQ(*table.InternRegex("围.问题", 8 << 20, 20000), *re);
  EXPECT_FALSE(table.InternRegex("(", 8 << 20, 20000).ok());
  EXPECT_EQ(table.InternRegex("(", 8 << 20, 20000).status().message(), "missing ): (");

  NaiveOracle o(&table, text);
  auto eval = [&](uint32_t id) {
    StatusOr<bool> r = EvaluatePredicate(table, id, o);
    EXPECT_TRUE(r.ok());
    return r.ok() && *r;
  };
  EXPECT_TRUE(eval(contains));
  EXPECT_TRUE(eval(starts));
  EXPECT_TRUE(eval(ends));
  EXPECT_FALSE(eval(ends_no));
  EXPECT_TRUE(eval(any));
  EXPECT_TRUE(eval(near));
  EXPECT_TRUE(eval(affirmed));
  EXPECT_FALSE(eval(negated));
  EXPECT_TRUE(eval(matches));

  auto spans = [&](uint32_t id) {
    std::vector<std::string> out;
    for (auto [b, e] : PredicateSpans(table, id, o)) out.push_back(text.substr(b, e - b) + "@" + std::to_string(b));
    return out;
  };
  EXPECT_EQ(spans(contains), (std::vector<std::string>{"违规@6", "违规@36"}));
  EXPECT_EQ(spans(affirmed), (std::vector<std::string>{"违规@6"}));  // the other is negated
  EXPECT_EQ(spans(near), (std::vector<std::string>{"违规@6", "发包@12"}));
  EXPECT_EQ(spans(starts), (std::vector<std::string>{"关于@0"}));
  EXPECT_EQ(spans(ends), (std::vector<std::string>{"问题@57"}));
  EXPECT_EQ(spans(matches), (std::vector<std::string>{"围标问题@51"}));
  EXPECT_EQ(spans(any), (std::vector<std::string>{"围标@51"}));
}

}  // namespace
}  // namespace xuncha::expr::testing

namespace xuncha::expr::testing {
namespace {

TEST(ExprLiftingTest, ProgramSharedAcrossThreads) {
  TestEnv env(/*require_bool=*/true);
  std::vector<ExprDiagnostic> diags;
  auto p = env.Compile(
      "(mentions(\"围标\") || near(\"违规\", \"发包\", 4)) && counterparties.exists(c, c.name.contains(\"劳务\"))",
      &diags);
  ASSERT_NE(p, nullptr);
  auto worker = [&](std::string text, bool want, int* failures) {
    v1::Finding f = TextFinding(text);
    f.add_counterparties()->set_name("某劳务公司");
    for (int i = 0; i < 2000; ++i) {
      NaiveOracle oracle(&env.table(), f.text());
      std::vector<int8_t> cache(env.table().size(), -1);
      Activation act;
      act.finding = &f;
      act.oracle = &oracle;
      act.predicate_cache = cache.data();
      EvalOutcome out = p->Evaluate(act);
      if (out.kind != EvalOutcome::kBool || out.value != want) ++*failures;
    }
  };
  int f1 = 0, f2 = 0;
  std::thread a(worker, "存在串标行为", true, &f1);
  std::thread b(worker, "未发现问题", false, &f2);
  a.join();
  b.join();
  EXPECT_EQ(f1, 0);
  EXPECT_EQ(f2, 0);
}

}  // namespace
}  // namespace xuncha::expr::testing

namespace xuncha::expr::testing {
namespace {

// A lifted call (predicate via the oracle) and the same call on a non-root
// string (evaluated directly, CEL's own definition) agree on every input.
TEST(ExprLiftingTest, LiftedAgreesWithDirectEvaluation) {
  TestEnv env;
  const char* texts[] = {"", "招标", "未招标", "招标未", "招招标标", "abcabc", "标", "招标。未招标", "a\nb"};
  const char* terms[] = {"招标", "标", "招", "未招标", "abc", "bca", "c", "\n", "招标。"};
  for (const char* t : texts) {
    v1::Finding f = TextFinding(t);
    for (const char* term : terms) {
      for (const char* method : {"contains", "startsWith", "endsWith"}) {
        std::string q = std::string("\"") + term + "\"";
        if (std::string(term) == "\n") q = "\"\\n\"";
        std::string lifted = std::string("text.") + method + "(" + q + ")";
        std::string direct = std::string("dyn(text).") + method + "(" + q + ")";
        EXPECT_EQ(env.Eval(lifted, f), env.Eval(direct, f)) << lifted << " on " << t;
      }
    }
    EXPECT_EQ(env.Eval("text.containsAny([\"未\", \"abc\"])", f),
              env.Eval("dyn(text).containsAny([\"未\", \"abc\"])", f)) << t;
    for (const char* re : {"招.", "^招", "标$", "[a-c]{3}", "未?招标"}) {
      std::string lifted = std::string("text.matches(\"") + re + "\")";
      std::string direct = std::string("dyn(text).matches(\"") + re + "\")";
      EXPECT_EQ(env.Eval(lifted, f), env.Eval(direct, f)) << lifted << " on " << t;
    }
  }
}

}  // namespace
}  // namespace xuncha::expr::testing
