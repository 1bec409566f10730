// The checker: resolves names, types and overloads of a parse tree, lifts
// text calls into predicates, runs the lints, and lowers the tree into Exec
// nodes (exec.h) in the same walk. CompileExpression() is the door.
//
// Lints (warnings; a program is still produced):
//   short-keyword        a one-Han-character term in contains / containsAny /
//                        near / negated / affirmed / mentions / lexicon terms:
//                        "贿" is in 贿赂 but also in many unrelated words.
//   mixed-width          a term or regex writing letters/digits in both full
//                        and half width (ＡＢ12): it matches neither spelling.
//   amount-without-unit  `amount` (fen) compared with a bare non-zero number.
//   regex-full-scan      a regex on `text` from which RE2's prefilter
//                        (FilteredRE2, min atom length 1 byte) extracts no
//                        literal atom: it can only be decided by running it
//                        over every finding.
//   never-fires          a condition, or an operand of &&, that is the
//                        constant false.
//
// Negation cues: negated()/affirmed() read the cues of the PredicateTable.
// When a table has no cues at all when such a call is compiled, the default
// cues (DefaultNegationCuesBefore/After) are installed into it.

#include <algorithm>
#include <map>
#include <set>

#include "base/utf8.h"
#include "expr/ast.h"
#include "expr/exec.h"
#include "expr/text_model.h"
#include "expr/value.h"
#include "re2/filtered_re2.h"

namespace xuncha::expr {

namespace internal {
namespace {

// Optimal-string-alignment distance: edits plus adjacent transpositions
// ("nmae" is one step from "name").
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// "; did you mean 'x'?" or "".
std::string Suggest(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::string::npos;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d < best_d || (d == best_d && c < best)) {
      best_d = d;
      best = c;
    }
  }
  size_t limit = name.size() <= 4 ? 1 : (name.size() <= 8 ? 2 : 3);
  if (best.empty() || best_d > limit || best_d >= name.size()) return "";
  return "; did you mean '" + best + "'?";
}

const std::vector<std::string>& FunctionNames() {
  static const auto* names = new std::vector<std::string>{
      "size",  "contains", "startsWith", "endsWith", "matches", "containsAny", "int",
      "uint",  "double",   "string",     "bytes",    "bool",    "type",        "dyn",
      "has",   "all",      "exists",     "exists_one", "map",   "filter",      "lexicon",
      "mentions", "near",  "negated",    "affirmed", "yuan",    "wan",         "yi",
      "money", "model_label", "model_prob"};
  return *names;
}

const char* const kTypeNames[] = {"int",  "uint", "double",    "string", "bytes", "bool",
                                  "list", "map",  "null_type", "type",   "dyn"};

struct Checked {
  TypeP type;
  ExecP exec;
  Requirement req;
};

bool IsBoolish(const Type& t) {
  return t.kind == Type::kBool || t.kind == Type::kDyn || t.kind == Type::kError;
}
bool IsKnown(const Type& t) { return t.kind != Type::kDyn && t.kind != Type::kError; }

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

class Checker {
 public:
  Checker(std::string_view source, const Environment& env, std::vector<ExprDiagnostic>* diags)
      : src_(source), env_(env), diags_(diags) {}

  Checked Check(const Node* n, int depth);

  int slots() const { return max_slots_; }
  std::vector<uint32_t> TakePredicates() {
    std::sort(predicates_.begin(), predicates_.end());
    predicates_.erase(std::unique(predicates_.begin(), predicates_.end()), predicates_.end());
    return std::move(predicates_);
  }
  std::vector<uint32_t> TakeModels() {
    return std::vector<uint32_t>(models_.begin(), models_.end());
  }
  std::vector<std::string> TakeResultFields() {
    return std::vector<std::string>(result_fields_.begin(), result_fields_.end());
  }
  bool has_errors() const { return errors_ > 0; }
  bool warned_never_fires() const { return warned_never_fires_; }
  void Diag(Severity sev, uint32_t b, uint32_t e, std::string msg, const char* code) {
    if (sev == Severity::kError) ++errors_;
    if (std::string_view(code) == "never-fires") warned_never_fires_ = true;
    diags_->push_back({sev, b, e, std::move(msg), code});
  }

 private:
  struct Var {
    std::string name;
    int slot;
    TypeP type;
  };

  void Error(const Node* n, std::string msg, const char* code) {
    Diag(Severity::kError, n->begin, n->end, std::move(msg), code);
  }
  void Warn(const Node* n, std::string msg, const char* code) {
    Diag(Severity::kWarning, n->begin, n->end, std::move(msg), code);
  }
  Checked Fail(const Node* n) {
    return {ErrorT(), MakeConst(n->begin, n->end, Value::Error("invalid expression")), {}};
  }
  Checked Done(const Node* n, int depth, TypeP t, ExecP e, Requirement req = {}) {
    e->set_depth(depth);
    return {std::move(t), std::move(e), std::move(req)};
  }
  // A call of `fn` on the checked arguments; folded to its value when every
  // argument is a constant, `fold` allows it and the call does not fail.
  Checked CallOrConstant(const Node* n, int depth, TypeP result, Fn fn, std::vector<Checked>& cs,
                         bool fold) {
    std::vector<ExecP> execs;
    std::vector<Value> consts;
    bool all_const = true;
    for (Checked& c : cs) {
      Value v;
      if (c.exec->Constant(&v)) {
        consts.push_back(v);
      } else {
        all_const = false;
      }
      execs.push_back(std::move(c.exec));
    }
    if (all_const && fold) {
      Value v = Apply(fn, consts.data(), consts.size(), env_.limits);
      if (!v.is_error()) return Done(n, depth, std::move(result), MakeConst(n->begin, n->end, std::move(v)));
    }
    return Done(n, depth, std::move(result), MakeCall(n->begin, n->end, fn, std::move(execs)));
  }

  const Var* Lookup(std::string_view name) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
      if (it->name == name) return &*it;
    }
    return nullptr;
  }
  bool IsTextRoot(const Node* n) const {
    if (n->kind == NodeKind::kIdent && n->text == "text" && Lookup("text") == nullptr) return true;
    return n->kind == NodeKind::kSelect && n->text == "text" && n->args[0]->kind == NodeKind::kIdent &&
           n->args[0]->text == "finding" && Lookup("finding") == nullptr;
  }
  bool IsAmount(const Node* n) const {
    if (n->kind == NodeKind::kIdent && n->text == "amount" && Lookup("amount") == nullptr) return true;
    return n->kind == NodeKind::kSelect && n->text == "amount" && n->args[0]->kind == NodeKind::kIdent &&
           n->args[0]->text == "finding" && Lookup("finding") == nullptr;
  }

  Checked CheckIdent(const Node* n, int depth);
  Checked CheckSelect(const Node* n, int depth);
  Checked CheckCall(const Node* n, int depth);
  Checked CheckOperator(const Node* n, int depth);
  Checked CheckLogic(const Node* n, int depth);
  Checked CheckMacro(const Node* n, int depth);
  Checked CheckDomain(const Node* n, int depth, bool* handled);
  Checked CheckStandard(const Node* n, int depth, bool* handled);
  Checked CheckTextMethod(const Node* n, int depth, bool* handled);

  // Constant term sets: "x", ["x", "y"], lexicon("名称").
  enum class Terms { kNotConstant, kConstant, kFailed };
  Terms ConstTerms(const Node* n, std::vector<std::string>* terms);
  void LintTerms(const Node* at, const std::vector<std::string>& terms, std::string_view lexicon);
  const std::vector<std::string>* FindLexicon(const Node* name_literal);
  // model_label("m"), model_prob("m"[, "label"]).
  Checked CheckModelCall(const Node* n, int depth);

  uint32_t InternPredicate(TextPredicate p) {
    uint32_t id = env_.predicates->Intern(p);
    predicates_.push_back(id);
    return id;
  }
  std::vector<uint32_t> TermIds(const std::vector<std::string>& terms) {
    std::vector<uint32_t> ids;
    for (const std::string& t : terms) ids.push_back(env_.predicates->terms().Intern(t));
    return ids;
  }
  Checked Lifted(const Node* n, int depth, uint32_t pid) {
    Requirement r;
    r.kind = Requirement::kPredicate;
    r.predicate_id = pid;
    const bool regex = env_.predicates->predicate(pid).kind == PredicateKind::kMatches;
    return Done(n, depth, BoolT(), MakePredicate(n->begin, n->end, pid, regex ? kRegexCost : kTermCost),
                std::move(r));
  }
  Checked ConstBool(const Node* n, int depth, bool v) {
    return Done(n, depth, BoolT(), MakeConst(n->begin, n->end, Value::Bool(v)));
  }
  // Requires a string literal argument; diagnoses otherwise.
  bool ExpectArity(const Node* n, size_t want, std::string_view what) {
    if (n->args.size() == want) return true;
    Error(n, std::string(what) + " takes " + std::to_string(want) + " argument" +
                 (want == 1 ? "" : "s") + ", got " + std::to_string(n->args.size()),
          "bad-arguments");
    return false;
  }
  bool ExpectType(const Node* at, const Checked& c, std::initializer_list<Type::Kind> kinds,
                  std::string_view what) {
    if (!IsKnown(*c.type)) return true;
    for (Type::Kind k : kinds) {
      if (c.type->kind == k) return true;
    }
    std::string want;
    for (Type::Kind k : kinds) {
      Type t;
      t.kind = k;
      if (k == Type::kList) t.elem = DynT();
      if (k == Type::kMap) {
        t.key = DynT();
        t.elem = DynT();
      }
      if (!want.empty()) want += " or ";
      want += k == Type::kList ? "list" : k == Type::kMap ? "map" : t.Name();
    }
    Diag(Severity::kError, at->begin, at->end,
         std::string(what) + " expects " + want + ", got " + c.type->Name(), "type-mismatch");
    return false;
  }
  void RegexLints(const Node* lit, std::string_view pattern, std::optional<uint32_t> text_regex);
  std::unique_ptr<RE2> CompileRegex(const Node* lit);

  std::string_view src_;
  const Environment& env_;
  std::vector<ExprDiagnostic>* diags_;
  std::vector<Var> scope_;
  int max_slots_ = 0;
  int errors_ = 0;
  bool warned_never_fires_ = false;
  std::vector<uint32_t> predicates_;
  std::set<uint32_t> models_;
  std::set<std::string> result_fields_;
};

// ---------------------------------------------------------------------------

Checked Checker::Check(const Node* n, int depth) {
  switch (n->kind) {
    case NodeKind::kError:
      ++errors_;  // already diagnosed by the parser
      return Fail(n);
    case NodeKind::kNull:
      return Done(n, depth, NullT(), MakeConst(n->begin, n->end, Value::Null()));
    case NodeKind::kBool:
      return Done(n, depth, BoolT(), MakeConst(n->begin, n->end, Value::Bool(n->bool_value)));
    case NodeKind::kInt:
      return Done(n, depth, IntT(), MakeConst(n->begin, n->end, Value::Int(n->int_value)));
    case NodeKind::kUint:
      return Done(n, depth, UintT(), MakeConst(n->begin, n->end, Value::Uint(n->uint_value)));
    case NodeKind::kDouble:
      return Done(n, depth, DoubleT(), MakeConst(n->begin, n->end, Value::Double(n->double_value)));
    case NodeKind::kString:
      return Done(n, depth, StringT(), MakeConst(n->begin, n->end, Value::String(n->text)));
    case NodeKind::kBytes:
      return Done(n, depth, BytesT(), MakeConst(n->begin, n->end, Value::Bytes(n->text)));
    case NodeKind::kIdent:
      return CheckIdent(n, depth);
    case NodeKind::kSelect:
      return CheckSelect(n, depth);
    case NodeKind::kCall:
      return CheckCall(n, depth);
    case NodeKind::kAnd:
    case NodeKind::kOr:
      return CheckLogic(n, depth);
    case NodeKind::kList: {
      TypeP elem;
      std::vector<ExecP> items;
      bool all_const = true;
      std::vector<Value> values;
      for (const Node* a : n->args) {
        Checked c = Check(a, depth + 1);
        elem = elem ? Join(elem, c.type) : c.type;
        Value v;
        if (c.exec->Constant(&v) && !v.is_error()) {
          values.push_back(v);
        } else {
          all_const = false;
        }
        items.push_back(std::move(c.exec));
      }
      TypeP t = ListT(elem ? elem : DynT());
      if (all_const) return Done(n, depth, t, MakeConst(n->begin, n->end, Value::OwnedList(std::move(values))));
      return Done(n, depth, t, MakeList(n->begin, n->end, std::move(items)));
    }
    case NodeKind::kMap: {
      TypeP kt, vt;
      std::vector<ExecP> kv;
      for (size_t i = 0; i + 1 < n->args.size(); i += 2) {
        Checked k = Check(n->args[i], depth + 1);
        Checked v = Check(n->args[i + 1], depth + 1);
        if (IsKnown(*k.type) && k.type->kind != Type::kBool && k.type->kind != Type::kInt &&
            k.type->kind != Type::kUint && k.type->kind != Type::kString) {
          Error(n->args[i], "map keys must be bool, int, uint or string, got " + k.type->Name(),
                "type-mismatch");
        }
        kt = kt ? Join(kt, k.type) : k.type;
        vt = vt ? Join(vt, v.type) : v.type;
        kv.push_back(std::move(k.exec));
        kv.push_back(std::move(v.exec));
      }
      return Done(n, depth, MapT(kt ? kt : DynT(), vt ? vt : DynT()),
                  MakeMap(n->begin, n->end, std::move(kv)));
    }
  }
  return Fail(n);
}

Checked Checker::CheckIdent(const Node* n, int depth) {
  const std::string& name = n->text;
  if (const Var* v = Lookup(name)) return Done(n, depth, v->type, MakeSlot(n->begin, n->end, v->slot));
  if (name == "finding") {
    return Done(n, depth, MessageT(MsgKind::kFinding), MakeFinding(n->begin, n->end));
  }
  if (name == "result") {
    if (!env_.result_available) {
      Error(n, "'result' is not available here: no earlier stage has drawn a conclusion yet",
            "result-unavailable");
      return Fail(n);
    }
    return Done(n, depth, MessageT(MsgKind::kResult), MakeResult(n->begin, n->end));
  }
  if (const FieldInfo* f = FindField(MsgKind::kFinding, name)) {
    return Done(n, depth, f->type, MakeRootField(n->begin, n->end, f));
  }
  for (const char* t : kTypeNames) {
    if (name == t) return Done(n, depth, TypeT(), MakeConst(n->begin, n->end, Value::TypeName(t)));
  }
  std::vector<std::string> candidates = {"finding", "result"};
  for (const FieldInfo& f : Fields(MsgKind::kFinding)) candidates.push_back(f.name);
  for (const Var& v : scope_) candidates.push_back(v.name);
  Error(n, "unknown variable '" + name + "'" + Suggest(name, candidates), "unknown-variable");
  return Fail(n);
}

Checked Checker::CheckSelect(const Node* n, int depth) {
  const Node* operand = n->args[0];
  Checked c = Check(operand, depth + 1);
  const Type& t = *c.type;
  const std::string& name = n->text;
  if (t.kind == Type::kError) return Fail(n);
  if (t.kind == Type::kMessage) {
    const FieldInfo* f = FindField(t.msg, name);
    if (f == nullptr) {
      std::vector<std::string> candidates;
      for (const FieldInfo& fi : Fields(t.msg)) candidates.push_back(fi.name);
      Diag(Severity::kError, n->name_begin, n->name_end,
           "type " + t.Name() + " has no field '" + name + "'" + Suggest(name, candidates),
           "unknown-field");
      return Fail(n);
    }
    if (t.msg == MsgKind::kResult) result_fields_.insert(name);
    if (t.msg == MsgKind::kFinding && operand->kind == NodeKind::kIdent) {
      // finding.x is the root variable x.
      return Done(n, depth, f->type, MakeRootField(n->begin, n->end, f));
    }
    return Done(n, depth, f->type, MakeSelect(n->begin, n->end, std::move(c.exec), name, f, t.msg));
  }
  if (t.kind == Type::kMap) {
    if (IsKnown(*t.key) && t.key->kind != Type::kString) {
      Error(n, "cannot select '" + name + "' from " + t.Name() + ": its keys are not strings",
            "type-mismatch");
      return Fail(n);
    }
    return Done(n, depth, t.elem, MakeSelect(n->begin, n->end, std::move(c.exec), name, nullptr, MsgKind::kFinding));
  }
  if (t.kind == Type::kDyn) {
    return Done(n, depth, DynT(), MakeSelect(n->begin, n->end, std::move(c.exec), name, nullptr, MsgKind::kFinding));
  }
  Diag(Severity::kError, n->name_begin, n->name_end,
       "type " + t.Name() + " has no fields (selecting '" + name + "')", "type-mismatch");
  return Fail(n);
}

Checked Checker::CheckLogic(const Node* n, int depth) {
  const bool is_and = n->kind == NodeKind::kAnd;
  std::vector<ExecP> args;
  std::vector<Requirement> reqs;
  bool decided = false;  // an operand is the absorbing constant
  bool all_const = true;
  for (const Node* a : n->args) {
    Checked c = Check(a, depth + 1);
    if (!IsBoolish(*c.type)) {
      Error(a, std::string("operand of ") + (is_and ? "&&" : "||") + " must be bool, got " +
                   c.type->Name(),
            "type-mismatch");
    }
    Value v;
    bool neutral = false;  // true in &&, false in ||: no part of the requirement
    if (c.exec->Constant(&v) && v.kind == Value::kBool) {
      if (v.b == !is_and) decided = true;
      neutral = v.b == is_and;
      if (is_and && !v.b) {
        Warn(a, "this operand is always false, so the && never fires", "never-fires");
      }
    } else {
      all_const = false;
    }
    if (!neutral) reqs.push_back(std::move(c.req));
    args.push_back(std::move(c.exec));
  }
  if (decided) return ConstBool(n, depth, !is_and);
  if (all_const) return ConstBool(n, depth, is_and);  // every operand is the neutral constant
  Requirement req;
  if (is_and) {
    std::vector<Requirement> kept;
    for (Requirement& r : reqs) {
      if (r.kind != Requirement::kAll) kept.push_back(std::move(r));
    }
    if (kept.size() == 1) {
      req = std::move(kept[0]);
    } else if (!kept.empty()) {
      req.kind = Requirement::kAnd;
      req.children = std::move(kept);
    }
  } else {
    bool any_all = false;
    for (const Requirement& r : reqs) any_all |= r.kind == Requirement::kAll;
    if (!any_all && reqs.size() == 1) {
      req = std::move(reqs[0]);
    } else if (!any_all && !reqs.empty()) {
      req.kind = Requirement::kOr;
      req.children = std::move(reqs);
    }
  }
  ExecP e = is_and ? MakeAnd(n->begin, n->end, std::move(args)) : MakeOr(n->begin, n->end, std::move(args));
  return Done(n, depth, BoolT(), std::move(e), std::move(req));
}

// ---------------------------------------------------------------------------
// Operators.

Checked Checker::CheckOperator(const Node* n, int depth) {
  const std::string& op = n->text;
  if (op == "_?_:_") {
    Checked c = Check(n->args[0], depth + 1);
    Checked x = Check(n->args[1], depth + 1);
    Checked y = Check(n->args[2], depth + 1);
    if (!IsBoolish(*c.type)) {
      Error(n->args[0], "condition of ?: must be bool, got " + c.type->Name(), "type-mismatch");
    }
    TypeP t = Join(x.type, y.type);
    Value cv;
    if (c.exec->Constant(&cv) && cv.kind == Value::kBool) {
      Checked& pick = cv.b ? x : y;
      pick.exec->set_depth(depth);
      return {t, std::move(pick.exec), {}};
    }
    return Done(n, depth, t, MakeTernary(n->begin, n->end, std::move(c.exec), std::move(x.exec), std::move(y.exec)));
  }
  if (op == "!_") {
    Checked c = Check(n->args[0], depth + 1);
    if (!IsBoolish(*c.type)) Error(n, "operand of ! must be bool, got " + c.type->Name(), "type-mismatch");
    Value v;
    if (c.exec->Constant(&v) && v.kind == Value::kBool) return ConstBool(n, depth, !v.b);
    return Done(n, depth, BoolT(), MakeNot(n->begin, n->end, std::move(c.exec)));
  }

  struct OpInfo {
    const char* name;
    Fn fn;
    const char* symbol;
  };
  static const OpInfo kOps[] = {
      {"_+_", Fn::kAdd, "+"},   {"_-_", Fn::kSub, "-"},   {"_*_", Fn::kMul, "*"},
      {"_/_", Fn::kDiv, "/"},   {"_%_", Fn::kMod, "%"},   {"-_", Fn::kNeg, "-"},
      {"_==_", Fn::kEq, "=="},  {"_!=_", Fn::kNe, "!="},  {"_<_", Fn::kLt, "<"},
      {"_<=_", Fn::kLe, "<="},  {"_>_", Fn::kGt, ">"},    {"_>=_", Fn::kGe, ">="},
      {"@in", Fn::kIn, "in"},   {"_[_]", Fn::kIndex, "[]"}};
  const OpInfo* info = nullptr;
  for (const OpInfo& o : kOps) {
    if (op == o.name) info = &o;
  }
  if (info == nullptr) {
    Error(n, "unknown operator " + op, "unknown-function");
    return Fail(n);
  }
  std::vector<Checked> cs;
  for (const Node* a : n->args) cs.push_back(Check(a, depth + 1));
  const TypeP& a = cs[0].type;
  const TypeP b = cs.size() > 1 ? cs[1].type : nullptr;
  bool failed = a->kind == Type::kError || (b && b->kind == Type::kError);
  TypeP result;
  auto mismatch = [&](std::string hint = "") {
    std::string types = a->Name() + (b ? ", " + b->Name() : "");
    Error(n, std::string("no matching overload for '") + info->symbol + "' applied to (" + types +
                 ")" + hint,
          "type-mismatch");
    failed = true;
  };
  bool dyn = a->kind == Type::kDyn || (b && b->kind == Type::kDyn);
  switch (info->fn) {
    case Fn::kAdd:
    case Fn::kSub:
    case Fn::kMul:
    case Fn::kDiv:
    case Fn::kMod: {
      if (failed) break;
      if (dyn) {
        result = a->kind == Type::kDyn ? b : a;
        if (result->kind == Type::kList) result = ListT(DynT());
        break;
      }
      bool ok = false;
      if (a->kind == b->kind) {
        switch (a->kind) {
          case Type::kInt: case Type::kUint: ok = true; break;
          case Type::kDouble: ok = info->fn != Fn::kMod; break;
          case Type::kString: case Type::kBytes: ok = info->fn == Fn::kAdd; break;
          case Type::kList: ok = info->fn == Fn::kAdd; break;
          default: break;
        }
      }
      if (!ok) {
        std::string hint;
        if (a->IsNumeric() && b->IsNumeric()) {
          hint = "; CEL does not mix int, uint and double in arithmetic: convert one side with "
                 "int(), uint() or double()";
        }
        mismatch(hint);
        break;
      }
      result = a->kind == Type::kList ? Join(a, b) : a;
      break;
    }
    case Fn::kNeg:
      if (failed) break;
      if (a->kind == Type::kInt || a->kind == Type::kDouble || a->kind == Type::kDyn) {
        result = a;
      } else {
        mismatch();
      }
      break;
    case Fn::kEq:
    case Fn::kNe:
      result = BoolT();
      if (failed || dyn) break;
      if (!(a->IsNumeric() && b->IsNumeric()) && !SameType(*a, *b) && !Assignable(*a, *b) &&
          !Assignable(*b, *a)) {
        mismatch();
      }
      break;
    case Fn::kLt:
    case Fn::kLe:
    case Fn::kGt:
    case Fn::kGe:
      result = BoolT();
      if (failed || dyn) break;
      if (!((a->IsNumeric() && b->IsNumeric()) ||
            (a->kind == b->kind && (a->kind == Type::kString || a->kind == Type::kBytes ||
                                    a->kind == Type::kBool)))) {
        mismatch();
      }
      break;
    case Fn::kIn:
      result = BoolT();
      if (failed || b->kind == Type::kDyn) break;
      if (b->kind == Type::kList) {
        if (!(a->IsNumeric() && b->elem->IsNumeric()) && !SameType(*a, *b->elem)) mismatch();
      } else if (b->kind == Type::kMap) {
        if (!(a->IsNumeric() && b->key->IsNumeric()) && !SameType(*a, *b->key)) mismatch();
      } else {
        mismatch("; 'in' needs a list or a map on the right");
      }
      break;
    case Fn::kIndex:
      if (failed) break;
      if (a->kind == Type::kDyn) {
        result = DynT();
      } else if (a->kind == Type::kList) {
        if (IsKnown(*b) && b->kind != Type::kInt && b->kind != Type::kUint) {
          mismatch("; a list index must be an int");
        }
        result = a->elem;
      } else if (a->kind == Type::kMap) {
        if (IsKnown(*b) && IsKnown(*a->key) && !SameType(*a->key, *b) &&
            !(a->key->IsNumeric() && b->IsNumeric())) {
          mismatch();
        }
        result = a->elem;
      } else {
        mismatch();
      }
      break;
    default:
      break;
  }
  // amount compared with a bare number.
  if (info->fn == Fn::kEq || info->fn == Fn::kNe || info->fn == Fn::kLt || info->fn == Fn::kLe ||
      info->fn == Fn::kGt || info->fn == Fn::kGe) {
    for (int side = 0; side < 2; ++side) {
      const Node* amt = n->args[side];
      const Node* num = n->args[1 - side];
      if (!IsAmount(amt)) continue;
      bool is_num = (num->kind == NodeKind::kInt && num->int_value != 0) ||
                    (num->kind == NodeKind::kDouble && num->double_value != 0);
      if (!is_num) continue;
      std::string lit(src_.substr(num->begin, num->end - num->begin));
      Warn(num,
           "`amount` is in fen (分): " + lit +
               " here is fen; write the unit, e.g. yuan(…), wan(…), yi(…) or money(\"…万元\")",
           "amount-without-unit");
    }
  }
  if (failed) return Fail(n);
  return CallOrConstant(n, depth, std::move(result), info->fn, cs, /*fold=*/true);
}

// ---------------------------------------------------------------------------
// Calls.

Checked Checker::CheckCall(const Node* n, int depth) {
  const std::string& name = n->text;
  if (n->target == nullptr &&
      (name.starts_with("_") || name == "!_" || name == "-_" || name == "@in")) {
    return CheckOperator(n, depth);
  }
  if (n->target == nullptr && name == "has") {
    if (!ExpectArity(n, 1, "has()")) return Fail(n);
    const Node* sel = n->args[0];
    if (sel->kind != NodeKind::kSelect) {
      Error(sel, "has() needs a field selection such as has(unit.name); for a map key write "
                 "\"key\" in attrs",
            "bad-arguments");
      return Fail(n);
    }
    Checked c = Check(sel->args[0], depth + 1);
    const Type& t = *c.type;
    if (t.kind == Type::kError) return Fail(n);
    if (t.kind == Type::kMessage) {
      if (FindField(t.msg, sel->text) == nullptr) {
        std::vector<std::string> candidates;
        for (const FieldInfo& fi : Fields(t.msg)) candidates.push_back(fi.name);
        Diag(Severity::kError, sel->name_begin, sel->name_end,
             "type " + t.Name() + " has no field '" + sel->text + "'" + Suggest(sel->text, candidates),
             "unknown-field");
        return Fail(n);
      }
      if (t.msg == MsgKind::kResult) result_fields_.insert(sel->text);
    } else if (t.kind != Type::kMap && t.kind != Type::kDyn) {
      Error(sel, "has() needs a message or a map, got " + t.Name(), "type-mismatch");
      return Fail(n);
    }
    return Done(n, depth, BoolT(), MakeHas(n->begin, n->end, std::move(c.exec), sel->text));
  }
  if (n->target != nullptr && (name == "all" || name == "exists" || name == "exists_one" ||
                               name == "map" || name == "filter")) {
    return CheckMacro(n, depth);
  }
  bool handled = false;
  Checked c = CheckDomain(n, depth, &handled);
  if (handled) return c;
  c = CheckTextMethod(n, depth, &handled);
  if (handled) return c;
  c = CheckStandard(n, depth, &handled);
  if (handled) return c;
  // Check the operands anyway, so that their own problems are reported.
  if (n->target != nullptr) Check(n->target, depth + 1);
  for (const Node* a : n->args) Check(a, depth + 1);
  Diag(Severity::kError, n->name_begin, n->name_end,
       "unknown function '" + name + "'" + Suggest(name, FunctionNames()), "unknown-function");
  return Fail(n);
}

Checked Checker::CheckMacro(const Node* n, int depth) {
  const std::string& name = n->text;
  MacroKind kind = name == "all" ? MacroKind::kAll
                   : name == "exists" ? MacroKind::kExists
                   : name == "exists_one" ? MacroKind::kExistsOne
                   : name == "map" ? MacroKind::kMap
                                   : MacroKind::kFilter;
  bool arity_ok = n->args.size() == 2 || (kind == MacroKind::kMap && n->args.size() == 3);
  if (!arity_ok) {
    Error(n, name + "() takes " + (kind == MacroKind::kMap ? "2 or 3" : std::string("2")) +
                 " arguments: a variable name and an expression",
          "bad-arguments");
    Check(n->target, depth + 1);
    return Fail(n);
  }
  Checked range = Check(n->target, depth + 1);
  const Node* var = n->args[0];
  if (var->kind != NodeKind::kIdent) {
    Error(var, "the first argument of " + name + "() must be a variable name", "bad-arguments");
    return Fail(n);
  }
  TypeP elem;
  const Type& rt = *range.type;
  if (rt.kind == Type::kList) {
    elem = rt.elem;
  } else if (rt.kind == Type::kMap) {
    elem = rt.key;
  } else if (rt.kind == Type::kDyn || rt.kind == Type::kError) {
    elem = DynT();
  } else {
    Error(n->target, name + "() needs a list or a map, got " + rt.Name(), "type-mismatch");
    elem = DynT();
  }
  int slot = static_cast<int>(scope_.size());
  scope_.push_back({var->text, slot, elem});
  max_slots_ = std::max(max_slots_, slot + 1);
  ExecP filter, step;
  TypeP result;
  if (kind == MacroKind::kMap) {
    if (n->args.size() == 3) {
      Checked f = Check(n->args[1], depth + 1);
      if (!IsBoolish(*f.type)) Error(n->args[1], "the filter of map() must be bool, got " + f.type->Name(), "type-mismatch");
      filter = std::move(f.exec);
    }
    Checked s = Check(n->args.back(), depth + 1);
    result = ListT(s.type->kind == Type::kError ? DynT() : s.type);
    step = std::move(s.exec);
  } else {
    Checked p = Check(n->args[1], depth + 1);
    if (!IsBoolish(*p.type)) {
      Error(n->args[1], "the predicate of " + name + "() must be bool, got " + p.type->Name(), "type-mismatch");
    }
    if (kind == MacroKind::kFilter) {
      filter = std::move(p.exec);
      result = ListT(elem);
    } else {
      step = std::move(p.exec);
      result = BoolT();
    }
  }
  scope_.pop_back();
  if (range.type->kind == Type::kError) return Fail(n);
  return Done(n, depth, result,
              MakeMacro(n->begin, n->end, kind, std::move(range.exec), slot, std::move(filter), std::move(step)));
}

const std::vector<std::string>* Checker::FindLexicon(const Node* lit) {
  if (env_.lexicons != nullptr) {
    auto it = env_.lexicons->find(lit->text);
    if (it != env_.lexicons->end()) return &it->second;
  }
  std::vector<std::string> names;
  if (env_.lexicons != nullptr) {
    for (const auto& [k, v] : *env_.lexicons) names.push_back(k);
  }
  std::string hint;
  // Edit distance over bytes is poor for Chinese; suggest names sharing a character.
  for (const std::string& k : names) {
    size_t i = 0;
    bool shares = false;
    while (i < lit->text.size() && !shares) {
      size_t b = i;
      utf8::Decode(lit->text, &i);
      if (k.find(lit->text.substr(b, i - b)) != std::string::npos) shares = true;
    }
    if (shares) {
      hint = "; did you mean \"" + k + "\"?";
      break;
    }
  }
  Error(lit, "unknown lexicon " + Quote(lit->text) + hint, "unknown-lexicon");
  return nullptr;
}

// "; did you mean \"x\"?" for a name among `names`: the closest by edit
// distance, else (edit distance over bytes is poor for Chinese) the first
// sharing a character with it.
std::string NameHint(std::string_view name, const std::vector<std::string>& names) {
  std::string hint = Suggest(name, names);
  if (!hint.empty()) return hint;
  for (const std::string& k : names) {
    size_t i = 0;
    while (i < name.size()) {
      size_t b = i;
      utf8::Decode(name, &i);
      if (k.find(name.substr(b, i - b)) != std::string::npos) return "; did you mean \"" + k + "\"?";
    }
  }
  return "";
}

Checked Checker::CheckModelCall(const Node* n, int depth) {
  const std::string& name = n->text;
  const bool prob = name == "model_prob";
  const char* usage = prob ? "model_prob() takes the name of a model as a string literal and optionally "
                             "a label, a string: model_prob(\"category\", \"procurement\"), "
                             "model_prob(\"category\", result.category)"
                           : "model_label() takes the name of a model as a string literal: "
                             "model_label(\"category\")";
  if (n->args.empty() || n->args.size() > (prob ? 2u : 1u)) {
    Error(n, usage, "bad-arguments");
    return Fail(n);
  }
  // The model's name is a literal; so is a label, except that model_prob's
  // may be any string expression (checked against the labels at run time).
  const bool label_expr = prob && n->args.size() == 2 && n->args[1]->kind != NodeKind::kString;
  bool ok = true;
  for (const Node* a : n->args) {
    if (label_expr && a == n->args[1]) continue;
    if (a->kind != NodeKind::kString) {
      if (a->kind == NodeKind::kError) {
        ++errors_;
      } else {
        Error(a, usage, "bad-arguments");
      }
      ok = false;
    }
  }
  if (!ok) return Fail(n);
  const Node* model_arg = n->args[0];
  std::optional<uint32_t> id;
  if (env_.models != nullptr) id = env_.models->Find(model_arg->text);
  if (!id) {
    std::vector<std::string> names;
    if (env_.models != nullptr) {
      for (uint32_t i = 0; i < env_.models->size(); ++i) names.push_back(env_.models->model(i).name());
    }
    std::string hint = NameHint(model_arg->text, names);
    if (names.empty()) hint = "; the rule set declares no model (add a `model { … }` block)";
    Error(model_arg, "unknown model " + Quote(model_arg->text) + hint, "unknown-model");
    return Fail(n);
  }
  const TextModel& model = env_.models->model(*id);
  models_.insert(*id);
  if (!prob) return Done(n, depth, StringT(), MakeModel(n->begin, n->end, *id, kModelTopLabel));
  if (n->args.size() == 1) return Done(n, depth, DoubleT(), MakeModel(n->begin, n->end, *id, kModelTopProb));
  const Node* label_arg = n->args[1];
  if (label_expr) {
    Checked c = Check(label_arg, depth + 1);
    if (!ExpectType(label_arg, c, {Type::kString}, "model_prob()")) return Fail(n);
    return Done(n, depth, DoubleT(), MakeModelProbOf(n->begin, n->end, *id, std::move(c.exec)));
  }
  std::optional<uint32_t> label = model.LabelIndex(label_arg->text);
  if (!label) {
    std::string all;
    for (size_t i = 0; i < model.labels().size() && i < 20; ++i) {
      all += (i ? ", " : "") + Quote(model.labels()[i]);
    }
    if (model.labels().size() > 20) all += ", …";
    Error(label_arg,
          "model " + Quote(model.name()) + " has no label " + Quote(label_arg->text) +
              NameHint(label_arg->text, model.labels()) + " (its labels: " + all + ")",
          "unknown-label");
    return Fail(n);
  }
  return Done(n, depth, DoubleT(), MakeModel(n->begin, n->end, *id, static_cast<int>(*label)));
}

void Checker::LintTerms(const Node* at, const std::vector<std::string>& terms,
                        std::string_view lexicon) {
  for (const std::string& t : terms) {
    size_t i = 0;
    if (!t.empty()) {
      char32_t cp = utf8::Decode(t, &i);
      if (i == t.size() && utf8::IsHan(cp)) {
        std::string where = lexicon.empty() ? "" : " (in lexicon " + Quote(lexicon) + ")";
        Warn(at,
             "one-character keyword " + Quote(t) + where +
                 " matches inside many unrelated words; use a longer term",
             "short-keyword");
      }
    }
    if (utf8::MixesWidths(t)) {
      Warn(at, "term " + Quote(t) + " mixes full-width and half-width letters or digits",
           "mixed-width");
    }
  }
}

Checker::Terms Checker::ConstTerms(const Node* n, std::vector<std::string>* terms) {
  if (n->kind == NodeKind::kString) {
    terms->push_back(n->text);
    LintTerms(n, *terms, "");
    return Terms::kConstant;
  }
  if (n->kind == NodeKind::kList) {
    for (const Node* a : n->args) {
      if (a->kind != NodeKind::kString) return Terms::kNotConstant;
    }
    for (const Node* a : n->args) {
      terms->push_back(a->text);
      LintTerms(a, {a->text}, "");
    }
    return Terms::kConstant;
  }
  if (n->kind == NodeKind::kCall && n->target == nullptr && n->text == "lexicon") {
    if (n->args.size() != 1 || n->args[0]->kind != NodeKind::kString) {
      Error(n, "lexicon() takes the name of a lexicon as a string literal", "bad-arguments");
      return Terms::kFailed;
    }
    const std::vector<std::string>* lex = FindLexicon(n->args[0]);
    if (lex == nullptr) return Terms::kFailed;
    *terms = *lex;
    LintTerms(n->args[0], *terms, n->args[0]->text);
    return Terms::kConstant;
  }
  if (n->kind == NodeKind::kError) {
    ++errors_;
    return Terms::kFailed;
  }
  return Terms::kNotConstant;
}

void Checker::RegexLints(const Node* lit, std::string_view pattern, std::optional<uint32_t> text_regex) {
  if (utf8::MixesWidths(pattern)) {
    Warn(lit, "regex mixes full-width and half-width letters or digits", "mixed-width");
  }
  if (!text_regex) return;
  if (!env_.predicates->HasPrefilterAtoms(*text_regex)) {
    Warn(lit,
         "regex has no literal part to prefilter on, so it runs over every finding; add a "
         "literal word (e.g. 招标.*未) or use contains()",
         "regex-full-scan");
  }
}

std::unique_ptr<RE2> Checker::CompileRegex(const Node* lit) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(env_.limits.regex_max_mem);
  auto re = std::make_unique<RE2>(re2::StringPiece(lit->text.data(), lit->text.size()), options);
  if (!re->ok()) {
    Error(lit, "invalid regex: " + re->error(), "bad-regex");
    return nullptr;
  }
  if (re->ProgramSize() > env_.limits.regex_max_program_size) {
    Error(lit, "regex is too large (program size " + std::to_string(re->ProgramSize()) +
                   ", limit " + std::to_string(env_.limits.regex_max_program_size) + ")",
          "bad-regex");
    return nullptr;
  }
  RegexLints(lit, lit->text, std::nullopt);
  return re;
}

// text.contains / startsWith / endsWith / containsAny / matches with
// constant arguments become predicates.
Checked Checker::CheckTextMethod(const Node* n, int depth, bool* handled) {
  *handled = false;
  const std::string& name = n->text;
  bool global_matches = n->target == nullptr && name == "matches" && n->args.size() == 2 &&
                        IsTextRoot(n->args[0]);
  if (!global_matches && (n->target == nullptr || !IsTextRoot(n->target))) return {};
  if (name != "contains" && name != "startsWith" && name != "endsWith" && name != "containsAny" &&
      name != "matches") {
    return {};
  }
  const Node* arg = global_matches ? n->args[1] : (n->args.size() == 1 ? n->args[0] : nullptr);
  if (arg == nullptr) return {};  // arity diagnosed by CheckStandard
  if (name == "matches") {
    if (arg->kind != NodeKind::kString) return {};
    *handled = true;
    StatusOr<uint32_t> rid = env_.predicates->InternRegex(arg->text, env_.limits.regex_max_mem,
                                                           env_.limits.regex_max_program_size);
    if (!rid.ok()) {
      Error(arg, "invalid regex: " + rid.status().message(), "bad-regex");
      return Fail(n);
    }
    RegexLints(arg, arg->text, *rid);
    TextPredicate p;
    p.kind = PredicateKind::kMatches;
    p.regex_id = *rid;
    return Lifted(n, depth, InternPredicate(p));
  }
  std::vector<std::string> terms;
  if (name == "containsAny") {
    Terms t = ConstTerms(arg, &terms);
    if (t == Terms::kNotConstant) return {};
    *handled = true;
    if (t == Terms::kFailed) return Fail(n);
  } else {
    if (arg->kind != NodeKind::kString) return {};
    *handled = true;
    terms.push_back(arg->text);
    LintTerms(arg, terms, "");
  }
  if (terms.empty()) return ConstBool(n, depth, false);  // containsAny([])
  for (const std::string& t : terms) {
    if (t.empty()) return ConstBool(n, depth, true);  // "" is in every string
  }
  TextPredicate p;
  p.kind = name == "contains" ? PredicateKind::kContains
           : name == "startsWith" ? PredicateKind::kStartsWith
           : name == "endsWith" ? PredicateKind::kEndsWith
                                : PredicateKind::kContainsAny;
  p.terms = TermIds(terms);
  return Lifted(n, depth, InternPredicate(p));
}

Checked Checker::CheckDomain(const Node* n, int depth, bool* handled) {
  *handled = false;
  if (n->target != nullptr) return {};
  const std::string& name = n->text;
  if (name == "lexicon") {
    *handled = true;
    if (!ExpectArity(n, 1, "lexicon()")) return Fail(n);
    if (n->args[0]->kind != NodeKind::kString) {
      Error(n->args[0], "lexicon() takes the name of a lexicon as a string literal", "bad-arguments");
      return Fail(n);
    }
    std::vector<std::string> terms;
    if (ConstTerms(n, &terms) != Terms::kConstant) return Fail(n);
    std::vector<Value> values;
    for (std::string& t : terms) values.push_back(Value::String(std::move(t)));
    return Done(n, depth, ListT(StringT()), MakeConst(n->begin, n->end, Value::OwnedList(std::move(values))));
  }
  if (name == "mentions" || name == "negated" || name == "affirmed") {
    *handled = true;
    if (!ExpectArity(n, 1, name + "()")) return Fail(n);
    const Node* arg = n->args[0];
    std::vector<std::string> terms;
    if (name == "mentions") {
      if (arg->kind != NodeKind::kString) {
        Error(arg, "mentions() takes the name of a lexicon as a string literal", "bad-arguments");
        return Fail(n);
      }
      const std::vector<std::string>* lex = FindLexicon(arg);
      if (lex == nullptr) return Fail(n);
      terms = *lex;
      LintTerms(arg, terms, arg->text);
    } else {
      Terms t = ConstTerms(arg, &terms);
      if (t == Terms::kFailed) return Fail(n);
      if (t == Terms::kNotConstant) {
        Error(arg, name + "() takes a string literal, a list of string literals or lexicon(\"…\")",
              "bad-arguments");
        return Fail(n);
      }
      for (const std::string& s : terms) {
        if (s.empty()) {
          Error(arg, name + "() cannot look for the empty string", "bad-arguments");
          return Fail(n);
        }
      }
      if (env_.predicates->cues_before().empty() && env_.predicates->cues_after().empty()) {
        env_.predicates->SetNegationCues(DefaultNegationCuesBefore(), DefaultNegationCuesAfter());
      }
    }
    if (terms.empty()) return ConstBool(n, depth, false);
    for (const std::string& s : terms) {
      if (s.empty() && name == "mentions") return ConstBool(n, depth, true);
    }
    TextPredicate p;
    p.kind = name == "mentions" ? PredicateKind::kContainsAny
             : name == "negated" ? PredicateKind::kNegated
                                 : PredicateKind::kAffirmed;
    p.terms = TermIds(terms);
    return Lifted(n, depth, InternPredicate(p));
  }
  if (name == "near") {
    *handled = true;
    if (!ExpectArity(n, 3, "near()")) return Fail(n);
    std::vector<std::string> a, b;
    bool ok = true;
    for (int k = 0; k < 2; ++k) {
      std::vector<std::string>* out = k == 0 ? &a : &b;
      Terms t = ConstTerms(n->args[k], out);
      if (t == Terms::kFailed) ok = false;
      if (t == Terms::kNotConstant) {
        Error(n->args[k], "near() takes a string literal, a list of string literals or lexicon(\"…\")",
              "bad-arguments");
        ok = false;
      }
      for (const std::string& s : *out) {
        if (s.empty()) {
          Error(n->args[k], "near() cannot look for the empty string", "bad-arguments");
          ok = false;
          break;
        }
      }
    }
    const Node* dist = n->args[2];
    if (dist->kind != NodeKind::kInt || dist->int_value < 0 || dist->int_value > UINT32_MAX) {
      Error(dist, "the distance of near() must be a non-negative int literal (code points)",
            "bad-arguments");
      ok = false;
    }
    if (!ok) return Fail(n);
    if (a.empty() || b.empty()) return ConstBool(n, depth, false);
    TextPredicate p;
    p.kind = PredicateKind::kNear;
    p.terms = TermIds(a);
    p.terms_b = TermIds(b);
    p.max_chars = static_cast<uint32_t>(dist->int_value);
    return Lifted(n, depth, InternPredicate(p));
  }
  if (name == "model_label" || name == "model_prob") {
    *handled = true;
    return CheckModelCall(n, depth);
  }
  if (name == "money") {
    *handled = true;
    if (!ExpectArity(n, 1, "money()")) return Fail(n);
    const Node* arg = n->args[0];
    if (arg->kind == NodeKind::kString) {
      std::optional<int64_t> fen = ParseMoney(arg->text);
      if (!fen) {
        Error(arg, Quote(arg->text) + " is not an amount of money (e.g. \"3850万元\", \"6,800元\")",
              "bad-money");
        return Fail(n);
      }
      return Done(n, depth, IntT(), MakeConst(n->begin, n->end, Value::Int(*fen)));
    }
    Checked c = Check(arg, depth + 1);
    if (!ExpectType(arg, c, {Type::kString}, "money()")) return Fail(n);
    std::vector<ExecP> args;
    args.push_back(std::move(c.exec));
    return Done(n, depth, IntT(), MakeCall(n->begin, n->end, Fn::kMoney, std::move(args)));
  }
  if (name == "yuan" || name == "wan" || name == "yi") {
    *handled = true;
    if (!ExpectArity(n, 1, name + "()")) return Fail(n);
    Checked c = Check(n->args[0], depth + 1);
    if (!ExpectType(n->args[0], c, {Type::kInt, Type::kDouble, Type::kUint}, name + "()")) return Fail(n);
    Fn fn = name == "yuan" ? Fn::kYuan : name == "wan" ? Fn::kWan : Fn::kYi;
    Value v;
    if (c.exec->Constant(&v)) {
      Value r = Apply(fn, &v, 1, env_.limits);
      if (r.is_error()) {
        Error(n, name + "(" + Display(v) + "): " + std::string(r.s), "bad-money");
        return Fail(n);
      }
      return Done(n, depth, IntT(), MakeConst(n->begin, n->end, std::move(r)));
    }
    std::vector<ExecP> args;
    args.push_back(std::move(c.exec));
    return Done(n, depth, IntT(), MakeCall(n->begin, n->end, fn, std::move(args)));
  }
  return {};
}

Checked Checker::CheckStandard(const Node* n, int depth, bool* handled) {
  *handled = false;
  const std::string& name = n->text;
  struct Sig {
    const char* name;
    bool method;  // receiver.name(args) (else name(args))
    size_t arity;  // arguments besides the receiver
    Fn fn;
  };
  static const Sig kSigs[] = {
      {"size", false, 1, Fn::kSize},       {"size", true, 0, Fn::kSize},
      {"contains", true, 1, Fn::kContains}, {"startsWith", true, 1, Fn::kStartsWith},
      {"endsWith", true, 1, Fn::kEndsWith}, {"matches", true, 1, Fn::kMatches},
      {"matches", false, 2, Fn::kMatches},  {"containsAny", true, 1, Fn::kContainsAny},
      {"int", false, 1, Fn::kInt},          {"uint", false, 1, Fn::kUint},
      {"double", false, 1, Fn::kDouble},    {"string", false, 1, Fn::kString},
      {"bytes", false, 1, Fn::kBytes},      {"bool", false, 1, Fn::kBool},
      {"type", false, 1, Fn::kType},        {"dyn", false, 1, Fn::kDyn}};
  const bool method = n->target != nullptr;
  const Sig* sig = nullptr;
  bool name_known = false;
  for (const Sig& s : kSigs) {
    if (name != s.name) continue;
    name_known = true;
    if (s.method == method) sig = &s;
  }
  if (!name_known) return {};
  *handled = true;
  if (sig == nullptr) {
    if (method) {
      Error(n, name + "() is a function, not a method: write " + name + "(x)", "bad-arguments");
    } else {
      Error(n, name + "() is a method: write x." + name + "(…)", "bad-arguments");
    }
    return Fail(n);
  }
  if (n->args.size() != sig->arity) {
    Error(n, name + "() takes " + std::to_string(sig->arity) + " argument" +
                 (sig->arity == 1 ? "" : "s") + ", got " + std::to_string(n->args.size()),
          "bad-arguments");
    if (method) Check(n->target, depth + 1);
    for (const Node* a : n->args) Check(a, depth + 1);
    return Fail(n);
  }
  std::vector<const Node*> nodes;
  if (method) nodes.push_back(n->target);
  for (const Node* a : n->args) nodes.push_back(a);
  // A constant regex is compiled now, once.
  if (sig->fn == Fn::kMatches && nodes[1]->kind == NodeKind::kString) {
    Checked s = Check(nodes[0], depth + 1);
    bool ok = ExpectType(nodes[0], s, {Type::kString}, "matches()");
    std::unique_ptr<RE2> re = CompileRegex(nodes[1]);
    if (!ok || re == nullptr || s.type->kind == Type::kError) return Fail(n);
    return Done(n, depth, BoolT(), MakeMatchesConst(n->begin, n->end, std::move(s.exec), std::move(re)));
  }
  std::vector<Checked> cs;
  for (const Node* a : nodes) cs.push_back(Check(a, depth + 1));
  bool ok = true;
  for (const Checked& c : cs) ok &= c.type->kind != Type::kError;
  TypeP result;
  const std::string what = name + "()";
  switch (sig->fn) {
    case Fn::kSize:
      ok &= ExpectType(nodes[0], cs[0], {Type::kString, Type::kBytes, Type::kList, Type::kMap}, what);
      result = IntT();
      break;
    case Fn::kContains:
    case Fn::kStartsWith:
    case Fn::kEndsWith:
    case Fn::kMatches:
      if (sig->fn == Fn::kContains && (cs[0].type->kind == Type::kList || cs[0].type->kind == Type::kMap)) {
        Error(nodes[0], "contains() is for strings; to test membership of a " +
                            std::string(cs[0].type->kind == Type::kList ? "list" : "map") +
                            " write x in " + std::string(src_.substr(nodes[0]->begin, nodes[0]->end - nodes[0]->begin)),
              "type-mismatch");
        ok = false;
        break;
      }
      ok &= ExpectType(nodes[0], cs[0], {Type::kString}, what);
      ok &= ExpectType(nodes[1], cs[1], {Type::kString}, what);
      if (sig->fn == Fn::kContains && nodes[1]->kind == NodeKind::kString) {
        LintTerms(nodes[1], {nodes[1]->text}, "");
      }
      result = BoolT();
      break;
    case Fn::kContainsAny:
      ok &= ExpectType(nodes[0], cs[0], {Type::kString}, what);
      ok &= ExpectType(nodes[1], cs[1], {Type::kList}, what);
      if (ok && cs[1].type->kind == Type::kList && IsKnown(*cs[1].type->elem) &&
          cs[1].type->elem->kind != Type::kString) {
        Error(nodes[1], "containsAny() expects list(string), got " + cs[1].type->Name(), "type-mismatch");
        ok = false;
      }
      result = BoolT();
      break;
    case Fn::kInt:
      ok &= ExpectType(nodes[0], cs[0], {Type::kInt, Type::kUint, Type::kDouble, Type::kString}, what);
      result = IntT();
      break;
    case Fn::kUint:
      ok &= ExpectType(nodes[0], cs[0], {Type::kInt, Type::kUint, Type::kDouble, Type::kString}, what);
      result = UintT();
      break;
    case Fn::kDouble:
      ok &= ExpectType(nodes[0], cs[0], {Type::kInt, Type::kUint, Type::kDouble, Type::kString}, what);
      result = DoubleT();
      break;
    case Fn::kString:
      ok &= ExpectType(nodes[0], cs[0],
                       {Type::kInt, Type::kUint, Type::kDouble, Type::kString, Type::kBytes, Type::kBool, Type::kType},
                       what);
      result = StringT();
      break;
    case Fn::kBytes:
      ok &= ExpectType(nodes[0], cs[0], {Type::kString, Type::kBytes}, what);
      result = BytesT();
      break;
    case Fn::kBool:
      ok &= ExpectType(nodes[0], cs[0], {Type::kString, Type::kBool}, what);
      result = BoolT();
      break;
    case Fn::kType:
      result = TypeT();
      break;
    case Fn::kDyn:
      result = DynT();
      break;
    default:
      result = DynT();
      break;
  }
  if (!ok) return Fail(n);
  return CallOrConstant(n, depth, std::move(result), sig->fn, cs, /*fold=*/sig->fn != Fn::kMatches);
}

// ---------------------------------------------------------------------------

bool HasDyn(const Type& t) {
  if (t.kind == Type::kDyn || t.kind == Type::kError) return true;
  if (t.kind == Type::kList) return HasDyn(*t.elem);
  if (t.kind == Type::kMap) return HasDyn(*t.key) || HasDyn(*t.elem);
  return false;
}

class ProgramImpl final : public Program {
 public:
  ProgramImpl(std::string source, ExecP root, TypeP type, Requirement req,
              std::vector<uint32_t> predicates, std::vector<std::string> result_fields,
              std::vector<uint32_t> models, int slots, const Environment& env)
      : source_(std::move(source)), root_(std::move(root)), type_(std::move(type)),
        requirement_(std::move(req)), predicates_(std::move(predicates)),
        result_fields_(std::move(result_fields)), models_(std::move(models)), slots_(slots),
        table_(env.predicates),
        limits_(env.limits), require_bool_(env.require_bool), has_dyn_(HasDyn(*type_)) {}

  EvalOutcome Evaluate(const Activation& activation) const override {
    return Run(activation, nullptr);
  }
  EvalOutcome EvaluateTraced(const Activation& activation,
                             std::vector<TraceStep>* trace) const override {
    return Run(activation, trace);
  }
  const Requirement& requirement() const override { return requirement_; }
  const std::vector<uint32_t>& predicates() const override { return predicates_; }
  const std::vector<std::string>& result_fields_read() const override { return result_fields_; }
  const std::vector<uint32_t>& models_read() const override { return models_; }
  std::string result_type() const override { return type_->Name(); }

 private:
  static constexpr int kInlineSlots = 4;

  EvalOutcome Run(const Activation& act, std::vector<TraceStep>* trace) const {
    EvalOutcome out;
    if (act.finding == nullptr) {
      out.kind = EvalOutcome::kError;
      out.error = "no finding in the activation";
      return out;
    }
    Value inline_slots[kInlineSlots];
    std::vector<Value> heap_slots;
    Value* slots = inline_slots;
    if (slots_ > kInlineSlots) {
      heap_slots.resize(static_cast<size_t>(slots_));
      slots = heap_slots.data();
    }
    Frame f;
    f.act = &act;
    f.slots = slots;
    f.trace = trace;
    f.source = source_;
    f.table = table_;
    f.limits = &limits_;
    Value v = root_->Eval(f);
    if (v.kind == Value::kBool) {
      out.kind = EvalOutcome::kBool;
      out.value = v.b;
      out.display = v.b ? "true" : "false";
      out.type_name = "bool";
      return out;
    }
    if (v.is_error()) {
      out.kind = EvalOutcome::kError;
      out.error = std::string(v.s);
      out.display = Display(v);
      return out;
    }
    if (require_bool_) {
      out.kind = EvalOutcome::kError;
      out.error = "condition is not a bool: got " + std::string(KindName(v));
      return out;
    }
    out.kind = EvalOutcome::kOther;
    out.display = Display(v);
    out.type_name = has_dyn_ ? DynamicTypeName(v) : type_->Name();
    return out;
  }

  std::string source_;
  ExecP root_;
  TypeP type_;
  Requirement requirement_;
  std::vector<uint32_t> predicates_;
  std::vector<std::string> result_fields_;
  std::vector<uint32_t> models_;
  int slots_;
  const PredicateTable* table_;
  ExprLimits limits_;
  bool require_bool_;
  bool has_dyn_;
};

}  // namespace
}  // namespace internal

std::unique_ptr<Program> CompileExpression(std::string_view source, const Environment& env,
                                           std::vector<ExprDiagnostic>* diagnostics) {
  using namespace internal;
  std::vector<ExprDiagnostic> local;
  std::vector<ExprDiagnostic>* diags = diagnostics != nullptr ? diagnostics : &local;
  const size_t first = diags->size();
  if (env.predicates == nullptr) {
    diags->push_back({Severity::kError, 0, 0, "no predicate table in the environment", "internal"});
    return nullptr;
  }
  Ast ast;
  Node* root = Parse(source, env.limits, &ast, diags);
  if (root == nullptr) return nullptr;
  bool syntax_errors = false;
  for (size_t i = first; i < diags->size(); ++i) syntax_errors |= (*diags)[i].severity == Severity::kError;
  const size_t checker_first = diags->size();
  Checker checker(source, env, diags);
  Checked c = checker.Check(root, 0);
  if (syntax_errors) {
    // Lints about a tree that did not parse mislead ("amount > 400万" is not
    // a bare number): keep only errors.
    diags->erase(std::remove_if(diags->begin() + static_cast<std::ptrdiff_t>(checker_first), diags->end(),
                                [](const ExprDiagnostic& d) { return d.severity != Severity::kError; }),
                 diags->end());
  }
  bool errors = checker.has_errors();
  for (size_t i = first; i < diags->size(); ++i) {
    if ((*diags)[i].severity == Severity::kError) errors = true;
  }
  if (!errors && env.require_bool && c.type->kind != Type::kBool && c.type->kind != Type::kDyn) {
    diags->push_back({Severity::kError, root->begin, root->end,
                      "a condition must be bool, but this is " + c.type->Name(), "not-bool"});
    errors = true;
  }
  Value v;
  if (!errors && c.type->kind == Type::kBool && c.exec->Constant(&v) && v.kind == Value::kBool &&
      !v.b && !checker.warned_never_fires()) {
    diags->push_back({Severity::kWarning, root->begin, root->end,
                      "this condition is always false and never fires", "never-fires"});
  }
  // Stable order: by position, errors before warnings.
  std::stable_sort(diags->begin() + static_cast<std::ptrdiff_t>(first), diags->end(),
                   [](const ExprDiagnostic& a, const ExprDiagnostic& b) {
                     if (a.begin != b.begin) return a.begin < b.begin;
                     return a.severity < b.severity;
                   });
  if (errors) return nullptr;
  return std::make_unique<ProgramImpl>(std::string(source), std::move(c.exec), c.type,
                                       std::move(c.req), checker.TakePredicates(),
                                       checker.TakeResultFields(), checker.TakeModels(),
                                       checker.slots(), env);
}

}  // namespace xuncha::expr
