// The engine's hot path: one scan, candidate rules, stage-by-stage
// evaluation, conclusions.

#include <algorithm>
#include <chrono>
#include <cstring>

#include "compile/plan.h"
#include "match/conclude.h"
#include "match/scratch.h"
#include "xuncha/engine.h"

namespace xuncha {

namespace match_internal {

std::shared_ptr<const Engine> EngineFactory::Make(std::unique_ptr<Plan> plan) {
  return std::shared_ptr<const Engine>(new Engine(std::move(plan)));
}

namespace {

// Debug builds notice a Matcher used from two threads at once.
class InUseGuard {
 public:
  explicit InUseGuard(std::atomic<int>* flag) : flag_(flag) {
#ifndef NDEBUG
    if (flag_->fetch_add(1) != 0) {
      std::fprintf(stderr, "xuncha: a Matcher is used from two threads at once\n");
      std::abort();
    }
#endif
  }
  ~InUseGuard() {
#ifndef NDEBUG
    flag_->fetch_sub(1);
#endif
  }

 private:
  [[maybe_unused]] std::atomic<int>* flag_;
};

}  // namespace

Status RunFinding(Scratch& s, const v1::Finding& finding, const ClassifyOptions& options,
                  v1::Classification* out, std::vector<RuleTrace>* trace, bool naive) {
  const Plan& plan = *s.plan;
  out->Clear();
  out->set_finding_id(finding.id());
  auto* ref = out->mutable_rule_set();
  ref->set_name(plan.name);
  ref->set_version(plan.version);
  ref->set_hash(plan.hash);

  const std::string& text = finding.text();
  if (text.size() > options.max_text_bytes) {
    Status st = ResourceExhaustedError("text of finding " + finding.id() + " is " +
                                       std::to_string(text.size()) + " bytes, over the limit of " +
                                       std::to_string(options.max_text_bytes));
    auto* e = out->add_errors();
    e->set_message(st.message());
    return st;
  }

  ++s.epoch;
  if (s.epoch == 0) {  // wrapped: restart the stamps
    std::fill(s.rule_epoch.begin(), s.rule_epoch.end(), 0);
    s.oracle = FastOracle(&plan);
    s.epoch = 1;
  }
  s.oracle.Reset(text, s.epoch, &s.matches);
  std::fill(s.predicate_cache.begin(), s.predicate_cache.end(), int8_t{-1});
  s.models.Reset(text);

  // Candidate rules: those triggered by a term or an admitted regex, and
  // those that are always candidates.
  s.candidates.clear();
  std::optional<expr::NaiveOracle> naive_oracle;
  if (naive) naive_oracle.emplace(plan.predicates.get(), text);
  expr::TextOracle& oracle = naive ? static_cast<expr::TextOracle&>(*naive_oracle)
                                   : static_cast<expr::TextOracle&>(s.oracle);
  auto mark = [&](uint32_t rule) {
    if (s.rule_epoch[rule] != s.epoch) {
      s.rule_epoch[rule] = s.epoch;
      s.candidates.push_back(rule);
    }
  };
  for (uint32_t t : s.oracle.terms_hit()) {
    for (uint32_t r : plan.term_rules[t]) mark(r);
  }
  for (int rx : s.oracle.regex_potentials()) {
    for (uint32_t r : plan.regex_rules[rx]) mark(r);
  }
  for (uint32_t r : plan.always_rules) mark(r);
  if (naive) {
    for (uint32_t r = 0; r < plan.rules.size(); ++r) mark(r);
  }
  std::sort(s.candidates.begin(), s.candidates.end());

  // The amount conditions read: the finding's own, else the largest written
  // in the text (looked for only when a money unit occurred).
  s.text_amounts.clear();
  std::optional<int64_t> amount;
  if (s.oracle.money_marker_seen() || naive) {
    for (const expr::TextAmount& a : expr::ExtractAmounts(text)) s.text_amounts.push_back(a.fen);
  }
  if (finding.has_amount()) {
    amount = finding.amount().fen();
  } else if (!s.text_amounts.empty()) {
    amount = *std::max_element(s.text_amounts.begin(), s.text_amounts.end());
  }
  if (amount) out->mutable_amount()->set_fen(*amount);

  expr::Activation act;
  act.finding = &finding;
  act.oracle = &oracle;
  act.predicate_cache = s.predicate_cache.data();
  act.amount_fen = amount;
  act.text_amounts = &s.text_amounts;
  act.models = &s.models;

  expr::StageResult stage_result;
  s.fired.clear();
  size_t next = 0;
  for (uint32_t stage = 0; stage < plan.stage_names.size(); ++stage) {
    act.result = stage > 0 ? &stage_result : nullptr;
    const uint32_t end = plan.stage_begin[stage + 1];
    for (; next < s.candidates.size() && s.candidates[next] < end; ++next) {
      const CompiledRule& rule = plan.rules[s.candidates[next]];
      if (rule.program == nullptr) continue;
      expr::EvalOutcome outcome;
      RuleTrace* rt = nullptr;
      if (trace != nullptr) {
        trace->push_back(RuleTrace{rule.index, {}, {}});
        rt = &trace->back();
      }
      if (options.profile) {
        auto t0 = std::chrono::steady_clock::now();
        outcome = rt ? rule.program->EvaluateTraced(act, &rt->steps) : rule.program->Evaluate(act);
        auto t1 = std::chrono::steady_clock::now();
        RuleProfile& p = s.profile[rule.index];
        p.nanos += std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
        ++p.evaluations;
        if (outcome.kind == expr::EvalOutcome::kBool && outcome.value) ++p.hits;
        if (outcome.kind == expr::EvalOutcome::kError) ++p.errors;
      } else {
        outcome = rt ? rule.program->EvaluateTraced(act, &rt->steps) : rule.program->Evaluate(act);
      }
      if (rt) rt->outcome = outcome;
      if (outcome.kind == expr::EvalOutcome::kError) {
        auto* e = out->add_errors();
        e->set_rule_id(rule.id);
        e->set_message(outcome.error);
      } else if (outcome.kind == expr::EvalOutcome::kBool && outcome.value) {
        s.fired.push_back(rule.index);
      }
    }
    if (stage + 1 < plan.stage_names.size()) UpdateStageResult(plan, s.fired, &stage_result);
  }

  Conclude(plan, s.fired, out);
  if (options.evidence) AddEvidence(plan, s, oracle, out);
  return Status::OK();
}

Status ClassifyNaive(const Engine& engine, const v1::Finding& finding, v1::Classification* out) {
  Scratch s(&engine.plan());
  return RunFinding(s, finding, ClassifyOptions{}, out, nullptr, /*naive=*/true);
}

}  // namespace match_internal

using match_internal::Scratch;

Engine::Engine(std::unique_ptr<match_internal::Plan> plan) : plan_(std::move(plan)) {}
Engine::~Engine() = default;
const std::string& Engine::name() const { return plan_->name; }
const std::string& Engine::version() const { return plan_->version; }
const std::string& Engine::hash() const { return plan_->hash; }
size_t Engine::rule_count() const { return plan_->rules.size(); }
const v1::RuleSet& Engine::rule_set() const { return plan_->rule_set; }

std::string Engine::DescribeStats() const {
  const auto& p = *plan_;
  size_t always = p.always_rules.size();
  std::string out;
  out += "rules: " + std::to_string(p.rules.size()) + " in " + std::to_string(p.stage_names.size()) +
         " stage(s)\n";
  out += "terms: " + std::to_string(p.num_terms) + ", regexes: " +
         std::to_string(p.predicates->regex_count()) + " (" + std::to_string(p.num_atoms) +
         " prefilter atoms, " + std::to_string(p.regex_prefilter_free.size()) + " unfiltered)\n";
  out += "predicates: " + std::to_string(p.predicates->size()) + "\n";
  out += "automaton: " + std::to_string(p.automaton.state_count()) + " states, " +
         std::to_string(p.automaton.memory_bytes() / 1024) + " KiB\n";
  out += "rules evaluated on every finding (no text requirement): " + std::to_string(always) + "\n";
  // Only sets that declare models get the line, so the output of the others
  // stays as it was.
  if (p.models != nullptr && p.models->size() > 0) {
    out += "text models:";
    for (uint32_t m = 0; m < p.models->size(); ++m) {
      const expr::TextModel& model = p.models->model(m);
      out += std::string(m ? "," : "") + " " + model.name() + " (" +
             std::to_string(model.labels().size()) + " labels, " +
             std::to_string(model.feature_count()) + " features, n " + std::to_string(model.min_n()) +
             ".." + std::to_string(model.max_n()) + ")";
    }
    out += "\n";
  }
  return out;
}

Matcher::Matcher(std::shared_ptr<const Engine> engine, ClassifyOptions options)
    : engine_(std::move(engine)),
      options_(options),
      scratch_(std::make_unique<Scratch>(&engine_->plan())) {
  if (options_.profile) {
    scratch_->profile.resize(engine_->plan().rules.size());
    for (const auto& r : engine_->plan().rules) scratch_->profile[r.index].rule_id = r.id;
  }
}

Matcher::~Matcher() = default;

Status Matcher::Classify(const v1::Finding& finding, v1::Classification* out) {
  match_internal::InUseGuard guard(&scratch_->in_use);
  return match_internal::RunFinding(*scratch_, finding, options_, out, nullptr);
}

std::vector<RuleProfile> Matcher::profile() const { return scratch_->profile; }

void Matcher::ResetProfile() {
  for (auto& p : scratch_->profile) p = RuleProfile{p.rule_id};
}

StatusOr<v1::Classification> Classify(const std::shared_ptr<const Engine>& engine,
                                      const v1::Finding& finding) {
  Matcher m(engine);
  v1::Classification c;
  XUNCHA_RETURN_IF_ERROR(m.Classify(finding, &c));
  return c;
}

}  // namespace xuncha
