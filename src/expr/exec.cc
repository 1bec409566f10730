#include "expr/exec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "base/utf8.h"
#include "expr/text_model.h"

namespace xuncha::expr::internal {

namespace {

const StageResult& EmptyResult() {
  static const auto* r = new StageResult();
  return *r;
}

Value IntOverflow() { return Value::Error("integer overflow"); }
Value UintOverflow() { return Value::Error("unsigned integer overflow"); }

}  // namespace

Value Exec::Traced(Frame& f) const {
  size_t index = f.trace->size();
  TraceStep step;
  step.begin = begin_;
  step.end = end_;
  step.depth = depth_;
  if (end_ <= f.source.size() && begin_ <= end_) step.source = std::string(f.source.substr(begin_, end_ - begin_));
  f.trace->push_back(std::move(step));
  Value v = Do(f);
  (*f.trace)[index].value = Display(v);
  return v;
}

// ---------------------------------------------------------------------------
// Operators and functions.

namespace {

Value Add(const Value& a, const Value& b, const ExprLimits& limits) {
  if (a.kind == Value::kInt && b.kind == Value::kInt) {
    int64_t r;
    if (__builtin_add_overflow(a.i, b.i, &r)) return IntOverflow();
    return Value::Int(r);
  }
  if (a.kind == Value::kUint && b.kind == Value::kUint) {
    uint64_t r;
    if (__builtin_add_overflow(a.u, b.u, &r)) return UintOverflow();
    return Value::Uint(r);
  }
  if (a.kind == Value::kDouble && b.kind == Value::kDouble) return Value::Double(a.d + b.d);
  if ((a.kind == Value::kString || a.kind == Value::kBytes) && b.kind == a.kind) {
    if (a.s.size() + b.s.size() > limits.max_string_bytes) {
      return Value::Error("string longer than " + std::to_string(limits.max_string_bytes) +
                          " bytes");
    }
    std::string s;
    s.reserve(a.s.size() + b.s.size());
    s.append(a.s);
    s.append(b.s);
    return a.kind == Value::kString ? Value::String(std::move(s)) : Value::Bytes(std::move(s));
  }
  if (a.kind == Value::kList && b.kind == Value::kList) {
    size_t na = ListSize(a), nb = ListSize(b);
    if (na + nb > limits.max_list_size) {
      return Value::Error("list longer than " + std::to_string(limits.max_list_size) +
                          " elements");
    }
    std::vector<Value> items;
    items.reserve(na + nb);
    for (size_t i = 0; i < na; ++i) items.push_back(ListGet(a, i));
    for (size_t i = 0; i < nb; ++i) items.push_back(ListGet(b, i));
    return Value::OwnedList(std::move(items));
  }
  return NoOverload("_+_", a, b);
}

Value Sub(const Value& a, const Value& b) {
  if (a.kind == Value::kInt && b.kind == Value::kInt) {
    int64_t r;
    if (__builtin_sub_overflow(a.i, b.i, &r)) return IntOverflow();
    return Value::Int(r);
  }
  if (a.kind == Value::kUint && b.kind == Value::kUint) {
    uint64_t r;
    if (__builtin_sub_overflow(a.u, b.u, &r)) return UintOverflow();
    return Value::Uint(r);
  }
  if (a.kind == Value::kDouble && b.kind == Value::kDouble) return Value::Double(a.d - b.d);
  return NoOverload("_-_", a, b);
}

Value Mul(const Value& a, const Value& b) {
  if (a.kind == Value::kInt && b.kind == Value::kInt) {
    int64_t r;
    if (__builtin_mul_overflow(a.i, b.i, &r)) return IntOverflow();
    return Value::Int(r);
  }
  if (a.kind == Value::kUint && b.kind == Value::kUint) {
    uint64_t r;
    if (__builtin_mul_overflow(a.u, b.u, &r)) return UintOverflow();
    return Value::Uint(r);
  }
  if (a.kind == Value::kDouble && b.kind == Value::kDouble) return Value::Double(a.d * b.d);
  return NoOverload("_*_", a, b);
}

Value Div(const Value& a, const Value& b) {
  if (a.kind == Value::kInt && b.kind == Value::kInt) {
    if (b.i == 0) return Value::Error("division by zero");
    if (a.i == INT64_MIN && b.i == -1) return IntOverflow();
    return Value::Int(a.i / b.i);
  }
  if (a.kind == Value::kUint && b.kind == Value::kUint) {
    if (b.u == 0) return Value::Error("division by zero");
    return Value::Uint(a.u / b.u);
  }
  if (a.kind == Value::kDouble && b.kind == Value::kDouble) return Value::Double(a.d / b.d);
  return NoOverload("_/_", a, b);
}

Value Mod(const Value& a, const Value& b) {
  if (a.kind == Value::kInt && b.kind == Value::kInt) {
    if (b.i == 0) return Value::Error("modulus by zero");
    if (a.i == INT64_MIN && b.i == -1) return IntOverflow();
    return Value::Int(a.i % b.i);
  }
  if (a.kind == Value::kUint && b.kind == Value::kUint) {
    if (b.u == 0) return Value::Error("modulus by zero");
    return Value::Uint(a.u % b.u);
  }
  return NoOverload("_%_", a, b);
}

Value Neg(const Value& a) {
  if (a.kind == Value::kInt) {
    if (a.i == INT64_MIN) return IntOverflow();
    return Value::Int(-a.i);
  }
  if (a.kind == Value::kDouble) return Value::Double(-a.d);
  return NoOverload("-_", a);
}

Value Order(Fn fn, const Value& a, const Value& b) {
  int c = Compare(a, b);
  const char* name = fn == Fn::kLt ? "_<_" : fn == Fn::kLe ? "_<=_" : fn == Fn::kGt ? "_>_" : "_>=_";
  if (c == kNoOrder) return NoOverload(name, a, b);
  if (c == kUnordered) return Value::Bool(false);  // NaN: every ordering is false
  switch (fn) {
    case Fn::kLt: return Value::Bool(c < 0);
    case Fn::kLe: return Value::Bool(c <= 0);
    case Fn::kGt: return Value::Bool(c > 0);
    default: return Value::Bool(c >= 0);
  }
}

Value In(const Value& x, const Value& range) {
  if (range.kind == Value::kList) {
    size_t n = ListSize(range);
    for (size_t i = 0; i < n; ++i) {
      if (Equal(x, ListGet(range, i))) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  if (range.kind == Value::kMap) {
    Value v;
    if (!MapFind(range, x, &v)) return Value::Bool(false);
    if (v.is_error()) return v;
    return Value::Bool(true);
  }
  return NoOverload("@in", x, range);
}

Value Index(const Value& a, const Value& i) {
  if (a.kind == Value::kList) {
    int64_t idx;
    if (i.kind == Value::kInt) {
      idx = i.i;
    } else if (i.kind == Value::kUint) {
      idx = i.u > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(i.u);
    } else if (i.kind == Value::kDouble && std::trunc(i.d) == i.d && std::abs(i.d) < 9e18) {
      idx = static_cast<int64_t>(i.d);
    } else {
      return NoOverload("_[_]", a, i);
    }
    size_t n = ListSize(a);
    if (idx < 0 || static_cast<uint64_t>(idx) >= n) {
      return Value::Error("index out of range: " + Display(i) + " (size " + std::to_string(n) + ")");
    }
    return ListGet(a, static_cast<size_t>(idx));
  }
  if (a.kind == Value::kMap) {
    Value v;
    if (!MapFind(a, i, &v)) return Value::Error("no such key: " + Display(i));
    return v;
  }
  return NoOverload("_[_]", a, i);
}

Value Size(const Value& a) {
  switch (a.kind) {
    case Value::kString: return Value::Int(static_cast<int64_t>(utf8::CountChars(a.s)));
    case Value::kBytes: return Value::Int(static_cast<int64_t>(a.s.size()));
    case Value::kList: return Value::Int(static_cast<int64_t>(ListSize(a)));
    case Value::kMap: return Value::Int(static_cast<int64_t>(MapSize(a)));
    default: return NoOverload("size", a);
  }
}

Value StringPair(Fn fn, const Value& a, const Value& b) {
  const char* name = fn == Fn::kContains ? "contains" : fn == Fn::kStartsWith ? "startsWith" : "endsWith";
  if (a.kind != Value::kString || b.kind != Value::kString) return NoOverload(name, a, b);
  switch (fn) {
    case Fn::kContains: return Value::Bool(a.s.find(b.s) != std::string_view::npos);
    case Fn::kStartsWith: return Value::Bool(a.s.starts_with(b.s));
    default: return Value::Bool(a.s.ends_with(b.s));
  }
}

Value MatchesDynamic(const Value& a, const Value& b, const ExprLimits& limits) {
  if (a.kind != Value::kString || b.kind != Value::kString) return NoOverload("matches", a, b);
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(limits.regex_max_mem);
  RE2 re(re2::StringPiece(b.s.data(), b.s.size()), options);
  if (!re.ok()) return Value::Error("invalid regex " + Display(b) + ": " + re.error());
  if (re.ProgramSize() > limits.regex_max_program_size) {
    return Value::Error("regex " + Display(b) + " is too large");
  }
  return Value::Bool(RE2::PartialMatch(re2::StringPiece(a.s.data(), a.s.size()), re));
}

Value ContainsAny(const Value& a, const Value& list) {
  if (a.kind != Value::kString || list.kind != Value::kList) return NoOverload("containsAny", a, list);
  size_t n = ListSize(list);
  for (size_t i = 0; i < n; ++i) {
    Value t = ListGet(list, i);
    if (t.kind != Value::kString) return NoOverload("containsAny", a, list);
    if (a.s.find(t.s) != std::string_view::npos) return Value::Bool(true);
  }
  return Value::Bool(false);
}

std::string Trimmed(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && s[b] == ' ') ++b;
  while (e > b && s[e - 1] == ' ') --e;
  return std::string(s.substr(b, e - b));
}

Value ToInt(const Value& a) {
  switch (a.kind) {
    case Value::kInt: return a;
    case Value::kUint:
      if (a.u > static_cast<uint64_t>(INT64_MAX)) return Value::Error("int() out of range: " + Display(a));
      return Value::Int(static_cast<int64_t>(a.u));
    case Value::kDouble:
      if (std::isnan(a.d) || a.d >= 9223372036854775808.0 || a.d < -9223372036854775808.0) {
        return Value::Error("int() out of range: " + Display(a));
      }
      return Value::Int(static_cast<int64_t>(a.d));  // truncates toward zero
    case Value::kString: {
      int64_t v = 0;
      std::string s = Trimmed(a.s);
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
        return Value::Error("cannot convert " + Display(a) + " to int");
      }
      return Value::Int(v);
    }
    default: return NoOverload("int", a);
  }
}

Value ToUint(const Value& a) {
  switch (a.kind) {
    case Value::kUint: return a;
    case Value::kInt:
      if (a.i < 0) return Value::Error("uint() out of range: " + Display(a));
      return Value::Uint(static_cast<uint64_t>(a.i));
    case Value::kDouble:
      if (std::isnan(a.d) || a.d >= 18446744073709551616.0 || a.d <= -1.0) {
        return Value::Error("uint() out of range: " + Display(a));
      }
      return Value::Uint(static_cast<uint64_t>(a.d));
    case Value::kString: {
      uint64_t v = 0;
      std::string s = Trimmed(a.s);
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
        return Value::Error("cannot convert " + Display(a) + " to uint");
      }
      return Value::Uint(v);
    }
    default: return NoOverload("uint", a);
  }
}

Value ToDouble(const Value& a) {
  switch (a.kind) {
    case Value::kDouble: return a;
    case Value::kInt: return Value::Double(static_cast<double>(a.i));
    case Value::kUint: return Value::Double(static_cast<double>(a.u));
    case Value::kString: {
      std::string s = Trimmed(a.s);
      double v = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
        return Value::Error("cannot convert " + Display(a) + " to double");
      }
      return Value::Double(v);
    }
    default: return NoOverload("double", a);
  }
}

Value ToString(const Value& a) {
  switch (a.kind) {
    case Value::kString: return a;
    case Value::kInt: return Value::String(std::to_string(a.i));
    case Value::kUint: return Value::String(std::to_string(a.u));
    case Value::kDouble: return Value::String(FormatDouble(a.d));
    case Value::kBool: return Value::StringView(a.b ? "true" : "false");
    case Value::kBytes:
      if (!utf8::IsValid(a.s)) return Value::Error("bytes are not valid UTF-8");
      return Value::String(std::string(a.s));
    case Value::kType: return Value::String(std::string(a.s));
    default: return NoOverload("string", a);
  }
}

Value ToBool(const Value& a) {
  if (a.kind == Value::kBool) return a;
  if (a.kind == Value::kString) {
    if (a.s == "true" || a.s == "TRUE" || a.s == "True" || a.s == "t" || a.s == "1") return Value::Bool(true);
    if (a.s == "false" || a.s == "FALSE" || a.s == "False" || a.s == "f" || a.s == "0") return Value::Bool(false);
    return Value::Error("cannot convert " + Display(a) + " to bool");
  }
  return NoOverload("bool", a);
}

Value TypeOf(const Value& a) {
  switch (a.kind) {
    case Value::kNull: return Value::TypeName("null_type");
    case Value::kBool: return Value::TypeName("bool");
    case Value::kInt: return Value::TypeName("int");
    case Value::kUint: return Value::TypeName("uint");
    case Value::kDouble: return Value::TypeName("double");
    case Value::kString: return Value::TypeName("string");
    case Value::kBytes: return Value::TypeName("bytes");
    case Value::kList: return Value::TypeName("list");
    case Value::kMap: return Value::TypeName("map");
    case Value::kMessage: return Value::TypeName(MsgTypeName(a.msg()));
    case Value::kType: return Value::TypeName("type");
    case Value::kError: return a;
  }
  return a;
}

}  // namespace

Value MoneyFromInt(int64_t n, int64_t multiplier) {
  int64_t r;
  if (__builtin_mul_overflow(n, multiplier, &r) || __builtin_mul_overflow(r, int64_t{100}, &r)) {
    return Value::Error("money overflow: amount too large for int fen");
  }
  return Value::Int(r);
}

Value MoneyFromDouble(double d, int64_t multiplier) {
  if (!std::isfinite(d)) return Value::Error("money from a non-finite double");
  // The shortest decimal that reads back as d — what the author wrote, e.g.
  // 52.3 — is scaled exactly in decimal, then rounded half away from zero.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view s(buf, static_cast<size_t>(end - buf));
  bool negative = false;
  if (!s.empty() && s[0] == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  size_t e = s.find('e');
  std::string_view mant = s.substr(0, e);
  int exp10 = std::atoi(std::string(s.substr(e + 1)).c_str());
  unsigned __int128 digits = 0;
  int frac = 0;
  bool seen_point = false;
  for (char c : mant) {
    if (c == '.') {
      seen_point = true;
      continue;
    }
    digits = digits * 10 + static_cast<unsigned>(c - '0');
    if (seen_point) ++frac;
  }
  // value = digits * 10^(exp10 - frac) yuan-units; fen = value * multiplier * 100.
  int scale = exp10 - frac + 2;
  unsigned __int128 m = static_cast<unsigned>(multiplier);
  unsigned __int128 v = digits * m;
  const unsigned __int128 kMax = static_cast<unsigned __int128>(INT64_MAX);
  if (scale >= 0) {
    for (int i = 0; i < scale; ++i) {
      v *= 10;
      if (v > kMax) return Value::Error("money overflow: amount too large for int fen");
    }
  } else {
    unsigned __int128 div = 1;
    for (int i = 0; i < -scale && i < 40; ++i) div *= 10;
    if (-scale >= 40) return Value::Int(0);
    unsigned __int128 q = v / div, rem = v % div;
    if (rem * 2 >= div) ++q;
    v = q;
  }
  if (v > kMax) return Value::Error("money overflow: amount too large for int fen");
  int64_t r = static_cast<int64_t>(v);
  return Value::Int(negative ? -r : r);
}

Value Apply(Fn fn, const Value* a, size_t n, const ExprLimits& limits) {
  for (size_t i = 0; i < n; ++i) {
    if (a[i].is_error()) return a[i];
  }
  switch (fn) {
    case Fn::kAdd: return Add(a[0], a[1], limits);
    case Fn::kSub: return Sub(a[0], a[1]);
    case Fn::kMul: return Mul(a[0], a[1]);
    case Fn::kDiv: return Div(a[0], a[1]);
    case Fn::kMod: return Mod(a[0], a[1]);
    case Fn::kNeg: return Neg(a[0]);
    case Fn::kEq: return Value::Bool(Equal(a[0], a[1]));
    case Fn::kNe: return Value::Bool(!Equal(a[0], a[1]));
    case Fn::kLt:
    case Fn::kLe:
    case Fn::kGt:
    case Fn::kGe: return Order(fn, a[0], a[1]);
    case Fn::kIn: return In(a[0], a[1]);
    case Fn::kIndex: return Index(a[0], a[1]);
    case Fn::kSize: return Size(a[0]);
    case Fn::kContains:
    case Fn::kStartsWith:
    case Fn::kEndsWith: return StringPair(fn, a[0], a[1]);
    case Fn::kMatches: return MatchesDynamic(a[0], a[1], limits);
    case Fn::kContainsAny: return ContainsAny(a[0], a[1]);
    case Fn::kInt: return ToInt(a[0]);
    case Fn::kUint: return ToUint(a[0]);
    case Fn::kDouble: return ToDouble(a[0]);
    case Fn::kString: return ToString(a[0]);
    case Fn::kBytes:
      if (a[0].kind == Value::kBytes) return a[0];
      if (a[0].kind == Value::kString) return Value::Bytes(std::string(a[0].s));
      return NoOverload("bytes", a[0]);
    case Fn::kBool: return ToBool(a[0]);
    case Fn::kType: return TypeOf(a[0]);
    case Fn::kDyn: return a[0];
    case Fn::kYuan:
    case Fn::kWan:
    case Fn::kYi: {
      int64_t mult = fn == Fn::kYuan ? 1 : fn == Fn::kWan ? 10000 : 100000000;
      const char* name = fn == Fn::kYuan ? "yuan" : fn == Fn::kWan ? "wan" : "yi";
      if (a[0].kind == Value::kInt) return MoneyFromInt(a[0].i, mult);
      if (a[0].kind == Value::kDouble) return MoneyFromDouble(a[0].d, mult);
      if (a[0].kind == Value::kUint) {
        if (a[0].u > static_cast<uint64_t>(INT64_MAX)) return Value::Error("money overflow: amount too large for int fen");
        return MoneyFromInt(static_cast<int64_t>(a[0].u), mult);
      }
      return NoOverload(name, a[0]);
    }
    case Fn::kMoney: {
      if (a[0].kind != Value::kString) return NoOverload("money", a[0]);
      std::optional<int64_t> fen = ParseMoney(a[0].s);
      if (!fen) return Value::Error("not an amount of money: " + Display(a[0]));
      return Value::Int(*fen);
    }
  }
  return Value::Error("internal: unknown function");
}

// ---------------------------------------------------------------------------
// Nodes.

namespace {

class ConstExec final : public Exec {
 public:
  ConstExec(uint32_t b, uint32_t e, Value v) : Exec(b, e), v_(std::move(v)) {}
  uint32_t Cost() const override { return 0; }
  bool Constant(Value* out) const override {
    *out = v_;
    return true;
  }

 protected:
  Value Do(Frame&) const override { return v_; }

 private:
  Value v_;
};

class RootFieldExec final : public Exec {
 public:
  RootFieldExec(uint32_t b, uint32_t e, const FieldInfo* f) : Exec(b, e), field_(f) {}

 protected:
  Value Do(Frame& f) const override { return field_->get(f.act->finding, f.act); }

 private:
  const FieldInfo* field_;
};

class FindingExec final : public Exec {
 public:
  using Exec::Exec;

 protected:
  Value Do(Frame& f) const override {
    return Value::Message(MsgKind::kFinding, f.act->finding, f.act);
  }
};

class ResultExec final : public Exec {
 public:
  using Exec::Exec;

 protected:
  Value Do(Frame& f) const override {
    const StageResult* r = f.act->result != nullptr ? f.act->result : &EmptyResult();
    return Value::Message(MsgKind::kResult, r, f.act);
  }
};

class SlotExec final : public Exec {
 public:
  SlotExec(uint32_t b, uint32_t e, int slot) : Exec(b, e), slot_(slot) {}

 protected:
  Value Do(Frame& f) const override { return f.slots[slot_]; }

 private:
  int slot_;
};

class SelectExec final : public Exec {
 public:
  SelectExec(uint32_t b, uint32_t e, ExecP operand, std::string name, const FieldInfo* field,
             MsgKind msg)
      : Exec(b, e), operand_(std::move(operand)), name_(std::move(name)), field_(field), msg_(msg) {}

 protected:
  Value Do(Frame& f) const override {
    Value v = operand_->Eval(f);
    if (v.kind == Value::kMessage) {
      if (field_ != nullptr && v.msg() == msg_) return field_->get(v.p, v.act);
      const FieldInfo* fi = FindField(v.msg(), name_);
      if (fi == nullptr) return Value::Error("no such field: " + name_);
      return fi->get(v.p, v.act);
    }
    if (v.kind == Value::kMap) {
      Value out;
      if (!MapFind(v, Value::StringView(name_), &out)) return Value::Error("no such key: \"" + name_ + "\"");
      return out;
    }
    if (v.is_error()) return v;
    return Value::Error("no such field: " + name_ + " (on " + std::string(KindName(v)) + ")");
  }

 private:
  ExecP operand_;
  std::string name_;
  const FieldInfo* field_;
  MsgKind msg_;
};

class HasExec final : public Exec {
 public:
  HasExec(uint32_t b, uint32_t e, ExecP operand, std::string name)
      : Exec(b, e), operand_(std::move(operand)), name_(std::move(name)) {}

 protected:
  Value Do(Frame& f) const override {
    Value v = operand_->Eval(f);
    if (v.kind == Value::kMessage) {
      const FieldInfo* fi = FindField(v.msg(), name_);
      if (fi == nullptr) return Value::Error("no such field: " + name_);
      return Value::Bool(fi->has(v.p, v.act));
    }
    if (v.kind == Value::kMap) {
      Value out;
      return Value::Bool(MapFind(v, Value::StringView(name_), &out));
    }
    if (v.is_error()) return v;
    return NoOverload("has", v);
  }

 private:
  ExecP operand_;
  std::string name_;
};

class PredicateExec final : public Exec {
 public:
  PredicateExec(uint32_t b, uint32_t e, uint32_t id, uint32_t cost) : Exec(b, e), id_(id), cost_(cost) {}
  uint32_t Cost() const override { return cost_; }

 protected:
  Value Do(Frame& f) const override {
    int8_t* cache = f.act->predicate_cache;
    if (cache != nullptr && (cache[id_] == 0 || cache[id_] == 1)) return Value::Bool(cache[id_] == 1);
    if (f.act->oracle == nullptr) return Value::Error("no text oracle in the activation");
    StatusOr<bool> r = EvaluatePredicate(*f.table, id_, *f.act->oracle);
    if (!r.ok()) {
      if (cache != nullptr) cache[id_] = 2;
      return Value::Error(r.status().message());
    }
    if (cache != nullptr) cache[id_] = *r ? 1 : 0;
    return Value::Bool(*r);
  }

 private:
  uint32_t id_;
  uint32_t cost_;
};

class ModelExec final : public Exec {
 public:
  ModelExec(uint32_t b, uint32_t e, uint32_t model_id, int label, ExecP label_expr = nullptr)
      : Exec(b, e), model_id_(model_id), label_(label), label_expr_(std::move(label_expr)) {}
  uint32_t Cost() const override { return kModelCost + (label_expr_ ? label_expr_->Cost() : 0); }

 protected:
  Value Do(Frame& f) const override {
    ModelCache* cache = f.act->models;
    if (cache == nullptr || cache->table() == nullptr || model_id_ >= cache->table()->size()) {
      return Value::Error("no text models in the activation");
    }
    uint32_t dynamic_label = 0;
    if (label_expr_) {  // model_prob("m", expr): the label is known only now
      Value v = label_expr_->Eval(f);
      if (v.is_error()) return v;
      if (v.kind != Value::kString) return NoOverload("model_prob", v);
      std::optional<uint32_t> l = cache->table()->model(model_id_).LabelIndex(v.s);
      if (!l) return Value::Double(0.0);  // a label the model does not know
      dynamic_label = *l;
    }
    const ModelScore& s = cache->Get(model_id_);
    if (s.prob.empty()) return Value::Error("text model has no labels");
    if (label_ == kModelTopLabel) {
      return Value::StringView(cache->table()->model(model_id_).labels()[s.top]);
    }
    const uint32_t l = label_expr_ ? dynamic_label
                       : label_ == kModelTopProb ? s.top
                                                 : static_cast<uint32_t>(label_);
    if (l >= s.prob.size()) return Value::Error("label index out of range");
    return Value::Double(s.prob[l]);
  }

 private:
  uint32_t model_id_;
  int label_;
  ExecP label_expr_;  // null unless the label is an expression
};

// CEL's commutative && and ||: false (true) wins over errors; otherwise the
// first error (in source order); a non-bool operand is an error.
//
// Design note: cheapest operand first. Because && and || are commutative
// (an error loses to the absorbing value wherever it stands), the operands
// may be evaluated in any order without changing the result. Rules are
// written topic first (text.matches("工程|施工…")) and problem words after
// (affirmed([...])); evaluating the term predicates before the regexes lets
// a false term lookup spare the regex search. The order is fixed when the
// node is built (stable by Exec::Cost, so equal costs keep source order).
// A traced evaluation (explain) keeps source order, so that what it shows
// reads like the condition as written; its result is the same.
class LogicExec final : public Exec {
 public:
  LogicExec(uint32_t b, uint32_t e, bool is_and, std::vector<ExecP> args)
      : Exec(b, e), is_and_(is_and), args_(std::move(args)) {
    order_.resize(args_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<uint32_t>(i);
    std::stable_sort(order_.begin(), order_.end(),
                     [this](uint32_t x, uint32_t y) { return args_[x]->Cost() < args_[y]->Cost(); });
    uint64_t c = 0;
    for (const ExecP& a : args_) c += a->Cost();
    cost_ = static_cast<uint32_t>(std::min<uint64_t>(c, UINT32_MAX));
  }
  uint32_t Cost() const override { return cost_; }

 protected:
  Value Do(Frame& f) const override {
    const bool absorbing = !is_and_;  // && stops at false, || at true
    Value error;
    size_t error_at = args_.size();  // source index of the error kept
    for (size_t k = 0; k < args_.size(); ++k) {
      const size_t i = f.trace != nullptr ? k : order_[k];
      Value v = args_[i]->Eval(f);
      if (v.kind == Value::kBool) {
        if (v.b == absorbing) return v;
        continue;
      }
      if (i < error_at) {
        error_at = i;
        error = v.is_error() ? std::move(v) : NoOverload(is_and_ ? "_&&_" : "_||_", v);
      }
    }
    if (error_at < args_.size()) return error;
    return Value::Bool(!absorbing);
  }

 private:
  bool is_and_;
  std::vector<ExecP> args_;
  std::vector<uint32_t> order_;  // evaluation order: cheapest first
  uint32_t cost_ = 0;
};

class NotExec final : public Exec {
 public:
  NotExec(uint32_t b, uint32_t e, ExecP arg) : Exec(b, e), arg_(std::move(arg)) {}
  uint32_t Cost() const override { return arg_->Cost(); }

 protected:
  Value Do(Frame& f) const override {
    Value v = arg_->Eval(f);
    if (v.kind == Value::kBool) return Value::Bool(!v.b);
    if (v.is_error()) return v;
    return NoOverload("!_", v);
  }

 private:
  ExecP arg_;
};

class TernaryExec final : public Exec {
 public:
  TernaryExec(uint32_t b, uint32_t e, ExecP c, ExecP x, ExecP y)
      : Exec(b, e), c_(std::move(c)), x_(std::move(x)), y_(std::move(y)) {}

 protected:
  Value Do(Frame& f) const override {
    Value c = c_->Eval(f);
    if (c.kind == Value::kBool) return c.b ? x_->Eval(f) : y_->Eval(f);
    if (c.is_error()) return c;
    return NoOverload("_?_:_", c);
  }

 private:
  ExecP c_, x_, y_;
};

class CallExec final : public Exec {
 public:
  CallExec(uint32_t b, uint32_t e, Fn fn, std::vector<ExecP> args)
      : Exec(b, e), fn_(fn), args_(std::move(args)) {}
  uint32_t Cost() const override {
    uint32_t c = fn_ == Fn::kMatches ? kRegexCost : 1;  // a regex compiled per call
    for (const ExecP& a : args_) c += a->Cost();
    return c;
  }

 protected:
  Value Do(Frame& f) const override {
    Value v[3];
    size_t n = args_.size();
    for (size_t i = 0; i < n; ++i) v[i] = args_[i]->Eval(f);
    return Apply(fn_, v, n, *f.limits);
  }

 private:
  Fn fn_;
  std::vector<ExecP> args_;  // at most 3
};

class MatchesConstExec final : public Exec {
 public:
  MatchesConstExec(uint32_t b, uint32_t e, ExecP subject, std::unique_ptr<RE2> re)
      : Exec(b, e), subject_(std::move(subject)), re_(std::move(re)) {}
  uint32_t Cost() const override { return kRegexCost + subject_->Cost(); }

 protected:
  Value Do(Frame& f) const override {
    Value s = subject_->Eval(f);
    if (s.is_error()) return s;
    if (s.kind != Value::kString) return NoOverload("matches", s);
    return Value::Bool(RE2::PartialMatch(re2::StringPiece(s.s.data(), s.s.size()), *re_));
  }

 private:
  ExecP subject_;
  std::unique_ptr<RE2> re_;
};

class ListExec final : public Exec {
 public:
  ListExec(uint32_t b, uint32_t e, std::vector<ExecP> items) : Exec(b, e), items_(std::move(items)) {}

 protected:
  Value Do(Frame& f) const override {
    std::vector<Value> out;
    out.reserve(items_.size());
    for (const ExecP& i : items_) {
      Value v = i->Eval(f);
      if (v.is_error()) return v;
      out.push_back(std::move(v));
    }
    return Value::OwnedList(std::move(out));
  }

 private:
  std::vector<ExecP> items_;
};

class MapExec final : public Exec {
 public:
  MapExec(uint32_t b, uint32_t e, std::vector<ExecP> kv) : Exec(b, e), kv_(std::move(kv)) {}

 protected:
  Value Do(Frame& f) const override {
    std::vector<std::pair<Value, Value>> out;
    for (size_t i = 0; i + 1 < kv_.size(); i += 2) {
      Value k = kv_[i]->Eval(f);
      if (k.is_error()) return k;
      if (k.kind != Value::kBool && k.kind != Value::kInt && k.kind != Value::kUint &&
          k.kind != Value::kString) {
        return Value::Error("unsupported key type: " + std::string(KindName(k)));
      }
      Value v = kv_[i + 1]->Eval(f);
      if (v.is_error()) return v;
      for (const auto& [ok, ov] : out) {
        if (Equal(ok, k)) return Value::Error("repeated key in map literal: " + Display(k));
      }
      out.emplace_back(std::move(k), std::move(v));
    }
    return Value::OwnedMap(std::move(out));
  }

 private:
  std::vector<ExecP> kv_;
};

class MacroExec final : public Exec {
 public:
  MacroExec(uint32_t b, uint32_t e, MacroKind kind, ExecP range, int slot, ExecP filter, ExecP step)
      : Exec(b, e), kind_(kind), range_(std::move(range)), slot_(slot),
        filter_(std::move(filter)), step_(std::move(step)) {}
  uint32_t Cost() const override {
    // Each element costs the filter and the step; count a few elements.
    uint64_t per = (filter_ ? filter_->Cost() : 0) + (step_ ? step_->Cost() : 0);
    return static_cast<uint32_t>(std::min<uint64_t>(range_->Cost() + 4 * per + 4, UINT32_MAX));
  }

 protected:
  Value Do(Frame& f) const override {
    Value r = range_->Eval(f);
    if (r.is_error()) return r;
    std::vector<std::pair<Value, Value>> entries;
    size_t n;
    if (r.kind == Value::kList) {
      n = ListSize(r);
    } else if (r.kind == Value::kMap) {
      entries = MapEntries(r);  // macros over a map range over its keys
      n = entries.size();
    } else {
      return NoOverload(Name(), r);
    }
    auto item = [&](size_t i) { return r.kind == Value::kList ? ListGet(r, i) : entries[i].first; };
    Value saved = f.slots[slot_];
    Value result = Run(f, n, item);
    f.slots[slot_] = std::move(saved);
    return result;
  }

 private:
  const char* Name() const {
    switch (kind_) {
      case MacroKind::kAll: return "all";
      case MacroKind::kExists: return "exists";
      case MacroKind::kExistsOne: return "exists_one";
      case MacroKind::kMap: return "map";
      case MacroKind::kFilter: return "filter";
    }
    return "macro";
  }

  template <typename ItemFn>
  Value Run(Frame& f, size_t n, ItemFn item) const {
    Value error;
    bool have_error = false;
    size_t count = 0;
    std::vector<Value> out;
    for (size_t i = 0; i < n; ++i) {
      if (++f.iterations > f.limits->max_iterations) {
        return Value::Error("macro iteration limit of " + std::to_string(f.limits->max_iterations) +
                            " steps reached");
      }
      f.slots[slot_] = item(i);
      switch (kind_) {
        case MacroKind::kAll:
        case MacroKind::kExists: {
          const bool decisive = kind_ == MacroKind::kExists;
          Value v = step_->Eval(f);
          if (v.kind == Value::kBool) {
            if (v.b == decisive) return v;
          } else if (!have_error) {
            have_error = true;
            error = v.is_error() ? std::move(v) : NoOverload(Name(), v);
          }
          break;
        }
        case MacroKind::kExistsOne: {
          Value v = step_->Eval(f);
          if (v.is_error()) return v;
          if (v.kind != Value::kBool) return NoOverload(Name(), v);
          if (v.b) ++count;
          break;
        }
        case MacroKind::kFilter:
        case MacroKind::kMap: {
          if (filter_ != nullptr) {
            Value keep = filter_->Eval(f);
            if (keep.is_error()) return keep;
            if (keep.kind != Value::kBool) return NoOverload(Name(), keep);
            if (!keep.b) break;
          }
          if (kind_ == MacroKind::kFilter) {
            out.push_back(f.slots[slot_]);
          } else {
            Value v = step_->Eval(f);
            if (v.is_error()) return v;
            out.push_back(std::move(v));
          }
          break;
        }
      }
    }
    switch (kind_) {
      case MacroKind::kAll:
      case MacroKind::kExists:
        if (have_error) return error;
        return Value::Bool(kind_ == MacroKind::kAll);
      case MacroKind::kExistsOne:
        return Value::Bool(count == 1);
      default:
        return Value::OwnedList(std::move(out));
    }
  }

  MacroKind kind_;
  ExecP range_;
  int slot_;
  ExecP filter_;  // map(x, filter, step) and filter(x, filter); else null
  ExecP step_;
};

}  // namespace

ExecP MakeConst(uint32_t b, uint32_t e, Value v) { return std::make_unique<ConstExec>(b, e, std::move(v)); }
ExecP MakeRootField(uint32_t b, uint32_t e, const FieldInfo* field) {
  return std::make_unique<RootFieldExec>(b, e, field);
}
ExecP MakeFinding(uint32_t b, uint32_t e) { return std::make_unique<FindingExec>(b, e); }
ExecP MakeResult(uint32_t b, uint32_t e) { return std::make_unique<ResultExec>(b, e); }
ExecP MakeSlot(uint32_t b, uint32_t e, int slot) { return std::make_unique<SlotExec>(b, e, slot); }
ExecP MakeSelect(uint32_t b, uint32_t e, ExecP operand, std::string name, const FieldInfo* field,
                 MsgKind msg) {
  return std::make_unique<SelectExec>(b, e, std::move(operand), std::move(name), field, msg);
}
ExecP MakeHas(uint32_t b, uint32_t e, ExecP operand, std::string name) {
  return std::make_unique<HasExec>(b, e, std::move(operand), std::move(name));
}
ExecP MakePredicate(uint32_t b, uint32_t e, uint32_t id, uint32_t cost) {
  return std::make_unique<PredicateExec>(b, e, id, cost);
}
ExecP MakeModel(uint32_t b, uint32_t e, uint32_t model_id, int label) {
  return std::make_unique<ModelExec>(b, e, model_id, label);
}
ExecP MakeModelProbOf(uint32_t b, uint32_t e, uint32_t model_id, ExecP label) {
  return std::make_unique<ModelExec>(b, e, model_id, kModelTopProb, std::move(label));
}
ExecP MakeAnd(uint32_t b, uint32_t e, std::vector<ExecP> args) {
  return std::make_unique<LogicExec>(b, e, true, std::move(args));
}
ExecP MakeOr(uint32_t b, uint32_t e, std::vector<ExecP> args) {
  return std::make_unique<LogicExec>(b, e, false, std::move(args));
}
ExecP MakeNot(uint32_t b, uint32_t e, ExecP arg) { return std::make_unique<NotExec>(b, e, std::move(arg)); }
ExecP MakeTernary(uint32_t b, uint32_t e, ExecP c, ExecP x, ExecP y) {
  return std::make_unique<TernaryExec>(b, e, std::move(c), std::move(x), std::move(y));
}
ExecP MakeCall(uint32_t b, uint32_t e, Fn fn, std::vector<ExecP> args) {
  return std::make_unique<CallExec>(b, e, fn, std::move(args));
}
ExecP MakeMatchesConst(uint32_t b, uint32_t e, ExecP subject, std::unique_ptr<RE2> re) {
  return std::make_unique<MatchesConstExec>(b, e, std::move(subject), std::move(re));
}
ExecP MakeList(uint32_t b, uint32_t e, std::vector<ExecP> items) {
  return std::make_unique<ListExec>(b, e, std::move(items));
}
ExecP MakeMap(uint32_t b, uint32_t e, std::vector<ExecP> kv) {
  return std::make_unique<MapExec>(b, e, std::move(kv));
}
ExecP MakeMacro(uint32_t b, uint32_t e, MacroKind kind, ExecP range, int slot, ExecP filter,
                ExecP step) {
  return std::make_unique<MacroExec>(b, e, kind, std::move(range), slot, std::move(filter),
                                     std::move(step));
}

}  // namespace xuncha::expr::internal
