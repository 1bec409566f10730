// Bench-only: a generated workload of findings and rule sets written in the
// rule language as rule authors write them — keyword alternations, gaps like
// 未.{0,8}招标 and .{0,30}, co-occurrence of two phrases, negations, amount
// bounds — tuned so that 2–5 rules fire per finding on average.
//
// Every rule is also kept in a matcher-neutral form (positive and negative
// regex components and an amount bound), so that the baselines (Hyperscan,
// RE2::Set, the naive engine) run exactly the same logic.

#ifndef XUNCHA_BENCH_WORKLOAD_H_
#define XUNCHA_BENCH_WORKLOAD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "xuncha/v1/finding.pb.h"

namespace xuncha::bench {

struct Component {
  enum Form { kLiteral, kAlternation, kGap, kWideGap };
  Form form = kLiteral;
  std::vector<std::string> literals;  // kLiteral: 1; kAlternation: 2–4; gaps: 2
  int gap = 0;                        // kGap / kWideGap: max chars between
  std::string Regex() const;          // RE2/Hyperscan syntax
  std::string Condition() const;      // rule-language condition
  std::string Instance(uint64_t* rng) const;  // a text that satisfies it
};

struct GenRule {
  std::string id;
  std::vector<Component> positive;  // all must match
  std::vector<Component> negative;  // none may match
  std::optional<int64_t> min_amount_fen;
};

struct Workload {
  std::vector<GenRule> rules;
  std::vector<v1::Finding> findings;
  // The rule set as text-format rule file content.
  std::string RuleFile() const;
  size_t text_bytes() const;
};

// Deterministic for given arguments.
Workload MakeWorkload(int num_rules, int num_findings, uint64_t seed = 42);

// The reference semantics every baseline must agree with: which rules fire
// given which components matched.
bool RuleFires(const GenRule& rule, const std::vector<bool>& positive_matched,
               const std::vector<bool>& negative_matched, const v1::Finding& finding);

}  // namespace xuncha::bench

#endif  // XUNCHA_BENCH_WORKLOAD_H_
