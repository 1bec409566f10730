// Internal to src/expr: the lowered, executable form of a condition — a tree
// of pre-resolved node objects. The public door of this folder is expr.h.
//
// Design note: the checker resolves every name, field and overload at
// compile time: a field read is a function pointer bound to the proto
// accessor, a lifted text call is a predicate id, a constant regex is a
// compiled RE2, constant sub-trees are folded. Evaluation is a walk over
// these objects with values on the C++ stack (Frame); nothing is looked up
// by name at run time except fields of `dyn` values. Exec objects are
// immutable after construction, so a Program is thread-safe.

#ifndef XUNCHA_EXPR_EXEC_H_
#define XUNCHA_EXPR_EXEC_H_

#include <memory>
#include <string>
#include <vector>

#include "expr/expr.h"
#include "expr/value.h"

namespace xuncha::expr::internal {

// Mutable state of one evaluation; lives on the caller's stack.
struct Frame {
  const Activation* act = nullptr;
  Value* slots = nullptr;  // macro variables
  std::vector<TraceStep>* trace = nullptr;
  std::string_view source;
  const PredicateTable* table = nullptr;
  const ExprLimits* limits = nullptr;
  uint64_t iterations = 0;  // macro steps so far, against limits->max_iterations
};

class Exec {
 public:
  Exec(uint32_t begin, uint32_t end) : begin_(begin), end_(end) {}
  virtual ~Exec() = default;
  Exec(const Exec&) = delete;
  Exec& operator=(const Exec&) = delete;

  Value Eval(Frame& f) const {
    if (f.trace == nullptr) return Do(f);
    return Traced(f);
  }
  // True (and the value) when this node is a constant.
  virtual bool Constant(Value* out) const { return false; }
  // A static estimate of what evaluating this node costs, in rough units:
  // a constant 0, a field or operator 1, a term predicate (one lookup in the
  // finding's Aho-Corasick index) kTermCost, a regex search kRegexCost. &&
  // and || evaluate their operands cheapest first (see LogicExec).
  virtual uint32_t Cost() const { return 1; }

  uint32_t begin() const { return begin_; }
  uint32_t end() const { return end_; }
  void set_depth(int d) { depth_ = d; }

 protected:
  virtual Value Do(Frame& f) const = 0;

 private:
  Value Traced(Frame& f) const;

  uint32_t begin_, end_;
  int depth_ = 0;
};

using ExecP = std::unique_ptr<Exec>;

// Operators and functions with strict arguments (an error argument is the
// result). Each takes the evaluated arguments.
enum class Fn {
  // operators
  kAdd, kSub, kMul, kDiv, kMod, kNeg,
  kEq, kNe, kLt, kLe, kGt, kGe, kIn, kIndex,
  // functions
  kSize, kContains, kStartsWith, kEndsWith, kMatches, kContainsAny,
  kInt, kUint, kDouble, kString, kBytes, kBool, kType, kDyn,
  kYuan, kWan, kYi, kMoney,
};

Value Apply(Fn fn, const Value* args, size_t n, const ExprLimits& limits);

// Node constructors.
ExecP MakeConst(uint32_t b, uint32_t e, Value v);
ExecP MakeRootField(uint32_t b, uint32_t e, const FieldInfo* field);
ExecP MakeFinding(uint32_t b, uint32_t e);
ExecP MakeResult(uint32_t b, uint32_t e);
ExecP MakeSlot(uint32_t b, uint32_t e, int slot);
// Field of a message or key of a map. `field` is the statically resolved
// field when the operand's type is known, else null (resolved by name).
ExecP MakeSelect(uint32_t b, uint32_t e, ExecP operand, std::string name, const FieldInfo* field,
                 MsgKind msg);
ExecP MakeHas(uint32_t b, uint32_t e, ExecP operand, std::string name);
// Costs of text predicates (Exec::Cost): a lookup in the term index, and a
// regex search of the text or its windows.
inline constexpr uint32_t kTermCost = 2;
inline constexpr uint32_t kRegexCost = 40;
ExecP MakePredicate(uint32_t b, uint32_t e, uint32_t predicate_id, uint32_t cost);
// model_label("m") (label = kModelTopLabel), model_prob("m") (kModelTopProb)
// and model_prob("m", "l") (label = the index of l). Scoring a model (once
// per finding, through Activation::models) costs about as much as a regex
// search, so && and || try cheaper operands first.
inline constexpr int kModelTopLabel = -2;
inline constexpr int kModelTopProb = -1;
inline constexpr uint32_t kModelCost = kRegexCost;
ExecP MakeModel(uint32_t b, uint32_t e, uint32_t model_id, int label);
// model_prob("m", expr): the probability of the label `expr` evaluates to
// (a string; 0 for a label the model does not have).
ExecP MakeModelProbOf(uint32_t b, uint32_t e, uint32_t model_id, ExecP label);
ExecP MakeAnd(uint32_t b, uint32_t e, std::vector<ExecP> args);
ExecP MakeOr(uint32_t b, uint32_t e, std::vector<ExecP> args);
ExecP MakeNot(uint32_t b, uint32_t e, ExecP arg);
ExecP MakeTernary(uint32_t b, uint32_t e, ExecP c, ExecP x, ExecP y);
ExecP MakeCall(uint32_t b, uint32_t e, Fn fn, std::vector<ExecP> args);
// s.matches(re) with a regex compiled at compile time.
ExecP MakeMatchesConst(uint32_t b, uint32_t e, ExecP subject, std::unique_ptr<RE2> re);
ExecP MakeList(uint32_t b, uint32_t e, std::vector<ExecP> items);
ExecP MakeMap(uint32_t b, uint32_t e, std::vector<ExecP> keys_and_values);

enum class MacroKind { kAll, kExists, kExistsOne, kMap, kFilter };
// range.macro(x, [filter,] step): `slot` holds x.
ExecP MakeMacro(uint32_t b, uint32_t e, MacroKind kind, ExecP range, int slot, ExecP filter,
                ExecP step);

// Money helpers shared with the checker's constant folding.
// n yuan × multiplier (1, 1e4, 1e8) in fen, exactly; error on overflow.
Value MoneyFromInt(int64_t n, int64_t multiplier);
Value MoneyFromDouble(double d, int64_t multiplier);

}  // namespace xuncha::expr::internal

#endif  // XUNCHA_EXPR_EXEC_H_
