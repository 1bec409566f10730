#include "expr/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "base/utf8.h"

namespace xuncha::expr::internal {

namespace {

using google::protobuf::Map;
using google::protobuf::RepeatedPtrField;

TypeP Make(Type::Kind k) {
  auto t = std::make_shared<Type>();
  t->kind = k;
  return t;
}

}  // namespace

std::string_view MsgTypeName(MsgKind k) {
  switch (k) {
    case MsgKind::kFinding: return "xuncha.v1.Finding";
    case MsgKind::kUnit: return "xuncha.v1.Unit";
    case MsgKind::kCounterparty: return "xuncha.v1.Counterparty";
    case MsgKind::kEvidence: return "xuncha.v1.EvidenceRef";
    case MsgKind::kResult: return "xuncha.StageResult";
  }
  return "message";
}

std::string Type::Name() const {
  switch (kind) {
    case kDyn: return "dyn";
    case kNull: return "null_type";
    case kBool: return "bool";
    case kInt: return "int";
    case kUint: return "uint";
    case kDouble: return "double";
    case kString: return "string";
    case kBytes: return "bytes";
    case kList: return "list(" + elem->Name() + ")";
    case kMap: return "map(" + key->Name() + ", " + elem->Name() + ")";
    case kMessage: return std::string(MsgTypeName(msg));
    case kType: return "type";
    case kError: return "error";
  }
  return "dyn";
}

TypeP DynT() { static const TypeP t = Make(Type::kDyn); return t; }
TypeP NullT() { static const TypeP t = Make(Type::kNull); return t; }
TypeP BoolT() { static const TypeP t = Make(Type::kBool); return t; }
TypeP IntT() { static const TypeP t = Make(Type::kInt); return t; }
TypeP UintT() { static const TypeP t = Make(Type::kUint); return t; }
TypeP DoubleT() { static const TypeP t = Make(Type::kDouble); return t; }
TypeP StringT() { static const TypeP t = Make(Type::kString); return t; }
TypeP BytesT() { static const TypeP t = Make(Type::kBytes); return t; }
TypeP TypeT() { static const TypeP t = Make(Type::kType); return t; }
TypeP ErrorT() { static const TypeP t = Make(Type::kError); return t; }
TypeP ListT(TypeP elem) {
  auto t = std::make_shared<Type>();
  t->kind = Type::kList;
  t->elem = std::move(elem);
  return t;
}
TypeP MapT(TypeP key, TypeP value) {
  auto t = std::make_shared<Type>();
  t->kind = Type::kMap;
  t->key = std::move(key);
  t->elem = std::move(value);
  return t;
}
TypeP MessageT(MsgKind m) {
  auto t = std::make_shared<Type>();
  t->kind = Type::kMessage;
  t->msg = m;
  return t;
}

bool SameType(const Type& a, const Type& b) {
  if (a.kind == Type::kDyn || b.kind == Type::kDyn || a.kind == Type::kError ||
      b.kind == Type::kError) {
    return true;
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Type::kList: return SameType(*a.elem, *b.elem);
    case Type::kMap: return SameType(*a.key, *b.key) && SameType(*a.elem, *b.elem);
    case Type::kMessage: return a.msg == b.msg;
    default: return true;
  }
}

bool Assignable(const Type& a, const Type& b) {
  if (a.kind == Type::kNull && b.kind == Type::kMessage) return true;
  return SameType(a, b);
}

TypeP Join(const TypeP& a, const TypeP& b) {
  if (a->kind == Type::kError) return b;
  if (b->kind == Type::kError) return a;
  if (a->kind == Type::kDyn) return a;
  if (b->kind == Type::kDyn) return b;
  if (a->kind != b->kind) return DynT();
  switch (a->kind) {
    case Type::kList: return ListT(Join(a->elem, b->elem));
    case Type::kMap: return MapT(Join(a->key, b->key), Join(a->elem, b->elem));
    case Type::kMessage: return a->msg == b->msg ? a : DynT();
    default: return a;
  }
}

// ---------------------------------------------------------------------------

Value Value::String(std::string v) {
  auto owned = std::make_shared<const std::string>(std::move(v));
  Value x;
  x.kind = kString;
  x.s = *owned;
  x.owner = std::move(owned);
  return x;
}

Value Value::Bytes(std::string v) {
  Value x = String(std::move(v));
  x.kind = kBytes;
  return x;
}

Value Value::OwnedTypeName(std::string name) {
  Value x = String(std::move(name));
  x.kind = kType;
  return x;
}

Value Value::Error(std::string message) {
  Value x = String(std::move(message));
  x.kind = kError;
  return x;
}

Value Value::OwnedList(std::vector<Value> items) {
  auto owned = std::make_shared<const std::vector<Value>>(std::move(items));
  Value x = List(ListSrc::kOwned, owned.get());
  x.owner = std::move(owned);
  return x;
}

Value Value::OwnedMap(std::vector<std::pair<Value, Value>> entries) {
  auto owned = std::make_shared<const std::vector<std::pair<Value, Value>>>(std::move(entries));
  Value x = Map(MapSrc::kOwned, owned.get());
  x.owner = std::move(owned);
  return x;
}

std::string_view KindName(const Value& v) {
  switch (v.kind) {
    case Value::kNull: return "null_type";
    case Value::kBool: return "bool";
    case Value::kInt: return "int";
    case Value::kUint: return "uint";
    case Value::kDouble: return "double";
    case Value::kString: return "string";
    case Value::kBytes: return "bytes";
    case Value::kList: return "list";
    case Value::kMap: return "map";
    case Value::kMessage: return MsgTypeName(v.msg());
    case Value::kType: return "type";
    case Value::kError: return "error";
  }
  return "dyn";
}

Value NoOverload(std::string_view function, const Value& a) {
  return Value::Error("no such overload: " + std::string(function) + "(" +
                      std::string(KindName(a)) + ")");
}

Value NoOverload(std::string_view function, const Value& a, const Value& b) {
  return Value::Error("no such overload: " + std::string(function) + "(" +
                      std::string(KindName(a)) + ", " + std::string(KindName(b)) + ")");
}

// ---------------------------------------------------------------------------
// Lists and maps.

namespace {

const std::vector<int64_t>& EmptyInts() {
  static const auto* v = new std::vector<int64_t>();
  return *v;
}

const char* CounterpartyKindName(v1::CounterpartyKind k) {
  switch (k) {
    case v1::COUNTERPARTY_KIND_SUPPLIER: return "supplier";
    case v1::COUNTERPARTY_KIND_CONTRACTOR: return "contractor";
    case v1::COUNTERPARTY_KIND_PERSON: return "person";
    case v1::COUNTERPARTY_KIND_AGENT: return "agent";
    case v1::COUNTERPARTY_KIND_OTHER: return "other";
    default: return "";
  }
}

const char* SourceKindName(v1::SourceKind k) {
  switch (k) {
    case v1::SOURCE_KIND_DOCUMENT_REVIEW: return "document_review";
    case v1::SOURCE_KIND_INTERVIEW: return "interview";
    case v1::SOURCE_KIND_SITE_VISIT: return "site_visit";
    case v1::SOURCE_KIND_SELF_CHECK: return "self_check";
    case v1::SOURCE_KIND_PETITION: return "petition";
    case v1::SOURCE_KIND_AUDIT: return "audit";
    default: return "";
  }
}

}  // namespace

size_t ListSize(const Value& list) {
  switch (static_cast<ListSrc>(list.sub)) {
    case ListSrc::kOwned: return static_cast<const std::vector<Value>*>(list.p)->size();
    case ListSrc::kProtoStrings:
      return static_cast<size_t>(static_cast<const RepeatedPtrField<std::string>*>(list.p)->size());
    case ListSrc::kStdStrings: return static_cast<const std::vector<std::string>*>(list.p)->size();
    case ListSrc::kInts: return static_cast<const std::vector<int64_t>*>(list.p)->size();
    case ListSrc::kCounterparties:
      return static_cast<size_t>(
          static_cast<const RepeatedPtrField<v1::Counterparty>*>(list.p)->size());
    case ListSrc::kEvidence:
      return static_cast<size_t>(
          static_cast<const RepeatedPtrField<v1::EvidenceRef>*>(list.p)->size());
  }
  return 0;
}

Value ListGet(const Value& list, size_t i) {
  int ii = static_cast<int>(i);
  switch (static_cast<ListSrc>(list.sub)) {
    case ListSrc::kOwned: return (*static_cast<const std::vector<Value>*>(list.p))[i];
    case ListSrc::kProtoStrings:
      return Value::StringView(static_cast<const RepeatedPtrField<std::string>*>(list.p)->Get(ii));
    case ListSrc::kStdStrings:
      return Value::StringView((*static_cast<const std::vector<std::string>*>(list.p))[i]);
    case ListSrc::kInts: return Value::Int((*static_cast<const std::vector<int64_t>*>(list.p))[i]);
    case ListSrc::kCounterparties:
      return Value::Message(MsgKind::kCounterparty,
                            &static_cast<const RepeatedPtrField<v1::Counterparty>*>(list.p)->Get(ii),
                            list.act);
    case ListSrc::kEvidence:
      return Value::Message(MsgKind::kEvidence,
                            &static_cast<const RepeatedPtrField<v1::EvidenceRef>*>(list.p)->Get(ii),
                            list.act);
  }
  return Value();
}

size_t MapSize(const Value& map) {
  if (static_cast<MapSrc>(map.sub) == MapSrc::kAttrs) {
    return static_cast<const Map<std::string, std::string>*>(map.p)->size();
  }
  return static_cast<const std::vector<std::pair<Value, Value>>*>(map.p)->size();
}

std::vector<std::pair<Value, Value>> MapEntries(const Value& map) {
  std::vector<std::pair<Value, Value>> out;
  if (static_cast<MapSrc>(map.sub) == MapSrc::kAttrs) {
    const auto* m = static_cast<const Map<std::string, std::string>*>(map.p);
    for (const auto& [k, v] : *m) out.emplace_back(Value::StringView(k), Value::StringView(v));
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.first.s < b.first.s; });
    return out;
  }
  return *static_cast<const std::vector<std::pair<Value, Value>>*>(map.p);
}

bool MapFind(const Value& map, const Value& key, Value* out) {
  if (key.kind != Value::kBool && key.kind != Value::kInt && key.kind != Value::kUint &&
      key.kind != Value::kString && key.kind != Value::kDouble) {
    *out = Value::Error("unsupported key type: " + std::string(KindName(key)));
    return true;
  }
  if (static_cast<MapSrc>(map.sub) == MapSrc::kAttrs) {
    if (key.kind != Value::kString) return false;
    const auto* m = static_cast<const Map<std::string, std::string>*>(map.p);
    auto it = m->find(key.s);  // transparent lookup: no std::string built
    if (it == m->end()) return false;
    *out = Value::StringView(it->second);
    return true;
  }
  for (const auto& [k, v] : *static_cast<const std::vector<std::pair<Value, Value>>*>(map.p)) {
    if (Equal(k, key)) {
      *out = v;
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Equality and ordering.

namespace {

int Sign(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }
int SignU(uint64_t a, uint64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

int CmpIntUint(int64_t i, uint64_t u) {
  if (i < 0) return -1;
  return SignU(static_cast<uint64_t>(i), u);
}

int CmpIntDouble(int64_t i, double d) {
  if (std::isnan(d)) return kUnordered;
  if (d >= 9223372036854775808.0) return -1;
  if (d < -9223372036854775808.0) return 1;
  double t = std::trunc(d);
  int64_t ti = static_cast<int64_t>(t);
  if (i != ti) return Sign(i, ti);
  if (d > t) return -1;
  if (d < t) return 1;
  return 0;
}

int CmpUintDouble(uint64_t u, double d) {
  if (std::isnan(d)) return kUnordered;
  if (d >= 18446744073709551616.0) return -1;
  if (d < 0) return 1;
  double t = std::trunc(d);
  uint64_t tu = static_cast<uint64_t>(t);
  if (u != tu) return SignU(u, tu);
  if (d > t) return -1;
  return 0;
}

int Flip(int c) { return (c == -1 || c == 1) ? -c : c; }

bool MessageEqual(const Value& a, const Value& b) {
  if (a.sub != b.sub) return false;
  if (a.p == b.p && a.act == b.act) return true;
  for (const FieldInfo& f : Fields(a.msg())) {
    if (!Equal(f.get(a.p, a.act), f.get(b.p, b.act))) return false;
  }
  return true;
}

}  // namespace

int Compare(const Value& a, const Value& b) {
  switch (a.kind) {
    case Value::kInt:
      if (b.kind == Value::kInt) return Sign(a.i, b.i);
      if (b.kind == Value::kUint) return CmpIntUint(a.i, b.u);
      if (b.kind == Value::kDouble) return CmpIntDouble(a.i, b.d);
      return kNoOrder;
    case Value::kUint:
      if (b.kind == Value::kUint) return SignU(a.u, b.u);
      if (b.kind == Value::kInt) return Flip(CmpIntUint(b.i, a.u));
      if (b.kind == Value::kDouble) return CmpUintDouble(a.u, b.d);
      return kNoOrder;
    case Value::kDouble:
      if (b.kind == Value::kDouble) {
        if (std::isnan(a.d) || std::isnan(b.d)) return kUnordered;
        return a.d < b.d ? -1 : (a.d > b.d ? 1 : 0);
      }
      if (b.kind == Value::kInt) return Flip(CmpIntDouble(b.i, a.d));
      if (b.kind == Value::kUint) return Flip(CmpUintDouble(b.u, a.d));
      return kNoOrder;
    case Value::kString:
    case Value::kBytes:
      if (b.kind != a.kind) return kNoOrder;
      {
        int c = a.s.compare(b.s);  // bytewise UTF-8 order is code-point order
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
      }
    case Value::kBool:
      if (b.kind != Value::kBool) return kNoOrder;
      return Sign(a.b, b.b);
    default:
      return kNoOrder;
  }
}

bool Equal(const Value& a, const Value& b) {
  switch (a.kind) {
    case Value::kInt:
    case Value::kUint:
    case Value::kDouble:
      return Compare(a, b) == 0;
    case Value::kNull: return b.kind == Value::kNull;
    case Value::kBool: return b.kind == Value::kBool && a.b == b.b;
    case Value::kString:
    case Value::kBytes:
    case Value::kType:
      return b.kind == a.kind && a.s == b.s;
    case Value::kList: {
      if (b.kind != Value::kList) return false;
      size_t n = ListSize(a);
      if (ListSize(b) != n) return false;
      for (size_t i = 0; i < n; ++i) {
        if (!Equal(ListGet(a, i), ListGet(b, i))) return false;
      }
      return true;
    }
    case Value::kMap: {
      if (b.kind != Value::kMap || MapSize(a) != MapSize(b)) return false;
      for (const auto& [k, v] : MapEntries(a)) {
        Value other;
        if (!MapFind(b, k, &other) || other.is_error() || !Equal(v, other)) return false;
      }
      return true;
    }
    case Value::kMessage:
      return b.kind == Value::kMessage && MessageEqual(a, b);
    case Value::kError:
      return false;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Printing.

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, ptr);
}

namespace {

void QuoteString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': *out += "\\\""; ++i; continue;
      case '\\': *out += "\\\\"; ++i; continue;
      case '\n': *out += "\\n"; ++i; continue;
      case '\t': *out += "\\t"; ++i; continue;
      case '\r': *out += "\\r"; ++i; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02X", c);
      *out += buf;
      ++i;
      continue;
    }
    out->push_back(static_cast<char>(c));
    ++i;
  }
  out->push_back('"');
}

void QuoteBytes(std::string_view s, std::string* out) {
  *out += "b\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c >= 0x20 && c < 0x7F) {
      out->push_back(static_cast<char>(c));
    } else {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02X", c);
      *out += buf;
    }
  }
  out->push_back('"');
}

void DisplayTo(const Value& v, std::string* out) {
  switch (v.kind) {
    case Value::kNull: *out += "null"; return;
    case Value::kBool: *out += v.b ? "true" : "false"; return;
    case Value::kInt: *out += std::to_string(v.i); return;
    case Value::kUint: *out += std::to_string(v.u) + "u"; return;
    case Value::kDouble: *out += FormatDouble(v.d); return;
    case Value::kString: QuoteString(v.s, out); return;
    case Value::kBytes: QuoteBytes(v.s, out); return;
    case Value::kType: *out += v.s; return;
    case Value::kError: *out += "error: "; *out += v.s; return;
    case Value::kList: {
      out->push_back('[');
      size_t n = ListSize(v);
      for (size_t i = 0; i < n; ++i) {
        if (i > 0) *out += ", ";
        DisplayTo(ListGet(v, i), out);
      }
      out->push_back(']');
      return;
    }
    case Value::kMap: {
      out->push_back('{');
      bool first = true;
      for (const auto& [k, val] : MapEntries(v)) {
        if (!first) *out += ", ";
        first = false;
        DisplayTo(k, out);
        *out += ": ";
        DisplayTo(val, out);
      }
      out->push_back('}');
      return;
    }
    case Value::kMessage: {
      *out += MsgTypeName(v.msg());
      out->push_back('{');
      bool first = true;
      for (const FieldInfo& f : Fields(v.msg())) {
        if (!f.has(v.p, v.act)) continue;
        if (!first) *out += ", ";
        first = false;
        *out += f.name;
        *out += ": ";
        DisplayTo(f.get(v.p, v.act), out);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

std::string Display(const Value& v) {
  std::string out;
  DisplayTo(v, &out);
  return out;
}

std::string DynamicTypeName(const Value& v) {
  switch (v.kind) {
    case Value::kList: {
      size_t n = ListSize(v);
      std::string elem;
      for (size_t i = 0; i < n; ++i) {
        std::string t = DynamicTypeName(ListGet(v, i));
        if (i == 0) {
          elem = t;
        } else if (t != elem) {
          elem = "dyn";
          break;
        }
      }
      return "list(" + (elem.empty() ? std::string("dyn") : elem) + ")";
    }
    case Value::kMap: {
      std::string kt, vt;
      bool first = true;
      for (const auto& [k, val] : MapEntries(v)) {
        std::string a = DynamicTypeName(k), b = DynamicTypeName(val);
        if (first) {
          kt = a;
          vt = b;
          first = false;
        } else {
          if (a != kt) kt = "dyn";
          if (b != vt) vt = "dyn";
        }
      }
      if (first) return "map(dyn, dyn)";
      return "map(" + kt + ", " + vt + ")";
    }
    default:
      return std::string(KindName(v));
  }
}

// ---------------------------------------------------------------------------
// Message fields.

namespace {

const v1::Finding& F(const void* p) { return *static_cast<const v1::Finding*>(p); }
const v1::Unit& U(const void* p) { return *static_cast<const v1::Unit*>(p); }
const v1::Counterparty& C(const void* p) { return *static_cast<const v1::Counterparty*>(p); }
const v1::EvidenceRef& E(const void* p) { return *static_cast<const v1::EvidenceRef*>(p); }
const StageResult& R(const void* p) { return *static_cast<const StageResult*>(p); }

Value WithAct(Value v, const Activation* act) {
  v.act = act;
  return v;
}

#define XUNCHA_STR_FIELD(NAME, ACC, GETTER)                                                 \
  FieldInfo {                                                                              \
    NAME, StringT(),                                                                       \
        [](const void* p, const Activation*) { return Value::StringView(ACC(p).GETTER()); }, \
        [](const void* p, const Activation*) { return !ACC(p).GETTER().empty(); }          \
  }

std::vector<FieldInfo> MakeFindingFields() {
  return {
      XUNCHA_STR_FIELD("text", F, text),
      {"amount", IntT(),
       [](const void*, const Activation* a) {
         return Value::Int(a != nullptr && a->amount_fen ? *a->amount_fen : 0);
       },
       [](const void*, const Activation* a) { return a != nullptr && a->amount_fen.has_value(); }},
      {"text_amounts", ListT(IntT()),
       [](const void*, const Activation* a) {
         const std::vector<int64_t>* v =
             a != nullptr && a->text_amounts != nullptr ? a->text_amounts : &EmptyInts();
         return Value::List(ListSrc::kInts, v);
       },
       [](const void*, const Activation* a) {
         return a != nullptr && a->text_amounts != nullptr && !a->text_amounts->empty();
       }},
      XUNCHA_STR_FIELD("id", F, id),
      XUNCHA_STR_FIELD("round", F, round),
      XUNCHA_STR_FIELD("occurred_on", F, occurred_on),
      XUNCHA_STR_FIELD("found_on", F, found_on),
      XUNCHA_STR_FIELD("inspector_team", F, inspector_team),
      {"source", StringT(),
       [](const void* p, const Activation*) {
         return Value::StringView(SourceKindName(F(p).source()));
       },
       [](const void* p, const Activation*) {
         return F(p).source() != v1::SOURCE_KIND_UNSPECIFIED;
       }},
      {"unit", MessageT(MsgKind::kUnit),
       [](const void* p, const Activation* a) {
         return Value::Message(MsgKind::kUnit, &F(p).unit(), a);
       },
       [](const void* p, const Activation*) { return F(p).has_unit(); }},
      {"counterparties", ListT(MessageT(MsgKind::kCounterparty)),
       [](const void* p, const Activation* a) {
         return WithAct(Value::List(ListSrc::kCounterparties, &F(p).counterparties()), a);
       },
       [](const void* p, const Activation*) { return F(p).counterparties_size() > 0; }},
      {"evidence", ListT(MessageT(MsgKind::kEvidence)),
       [](const void* p, const Activation* a) {
         return WithAct(Value::List(ListSrc::kEvidence, &F(p).evidence()), a);
       },
       [](const void* p, const Activation*) { return F(p).evidence_size() > 0; }},
      {"tags", ListT(StringT()),
       [](const void* p, const Activation*) {
         return Value::List(ListSrc::kProtoStrings, &F(p).tags());
       },
       [](const void* p, const Activation*) { return F(p).tags_size() > 0; }},
      {"attrs", MapT(StringT(), StringT()),
       [](const void* p, const Activation*) { return Value::Map(MapSrc::kAttrs, &F(p).attrs()); },
       [](const void* p, const Activation*) { return !F(p).attrs().empty(); }},
  };
}

std::vector<FieldInfo> MakeUnitFields() {
  return {
      XUNCHA_STR_FIELD("id", U, id),
      XUNCHA_STR_FIELD("name", U, name),
      XUNCHA_STR_FIELD("parent_id", U, parent_id),
      XUNCHA_STR_FIELD("kind", U, kind),
      XUNCHA_STR_FIELD("business_line", U, business_line),
      {"headcount", IntT(),
       [](const void* p, const Activation*) { return Value::Int(U(p).headcount()); },
       [](const void* p, const Activation*) { return U(p).headcount() != 0; }},
  };
}

std::vector<FieldInfo> MakeCounterpartyFields() {
  return {
      XUNCHA_STR_FIELD("id", C, id),
      XUNCHA_STR_FIELD("name", C, name),
      {"kind", StringT(),
       [](const void* p, const Activation*) {
         return Value::StringView(CounterpartyKindName(C(p).kind()));
       },
       [](const void* p, const Activation*) {
         return C(p).kind() != v1::COUNTERPARTY_KIND_UNSPECIFIED;
       }},
  };
}

std::vector<FieldInfo> MakeEvidenceFields() {
  return {
      XUNCHA_STR_FIELD("id", E, id),
      XUNCHA_STR_FIELD("kind", E, kind),
      XUNCHA_STR_FIELD("description", E, description),
      XUNCHA_STR_FIELD("uri", E, uri),
  };
}

#define XUNCHA_RESULT_STR(NAME)                                                            \
  FieldInfo {                                                                             \
    #NAME, StringT(),                                                                     \
        [](const void* p, const Activation*) { return Value::StringView(R(p).NAME); },    \
        [](const void* p, const Activation*) { return !R(p).NAME.empty(); }               \
  }
#define XUNCHA_RESULT_LIST(NAME)                                                                 \
  FieldInfo {                                                                                   \
    #NAME, ListT(StringT()),                                                                    \
        [](const void* p, const Activation*) { return Value::List(ListSrc::kStdStrings, &R(p).NAME); }, \
        [](const void* p, const Activation*) { return !R(p).NAME.empty(); }                     \
  }

std::vector<FieldInfo> MakeResultFields() {
  return {
      XUNCHA_RESULT_STR(category),
      XUNCHA_RESULT_STR(subcategory),
      XUNCHA_RESULT_STR(discipline),
      XUNCHA_RESULT_STR(nature),
      XUNCHA_RESULT_STR(disposition),
      XUNCHA_RESULT_LIST(secondary),
      XUNCHA_RESULT_LIST(rules),
      XUNCHA_RESULT_LIST(tags),
      {"score", DoubleT(),
       [](const void* p, const Activation*) { return Value::Double(R(p).score); },
       [](const void* p, const Activation*) { return R(p).score != 0; }},
      {"priority", IntT(),
       [](const void* p, const Activation*) { return Value::Int(R(p).priority); },
       [](const void* p, const Activation*) { return R(p).priority != 0; }},
      {"classified", BoolT(),
       [](const void* p, const Activation*) { return Value::Bool(R(p).classified); },
       [](const void* p, const Activation*) { return R(p).classified; }},
  };
}

}  // namespace

const std::vector<FieldInfo>& Fields(MsgKind m) {
  static const auto* tables = new std::vector<FieldInfo>[5]{
      MakeFindingFields(), MakeUnitFields(), MakeCounterpartyFields(), MakeEvidenceFields(),
      MakeResultFields()};
  return tables[static_cast<int>(m)];
}

const FieldInfo* FindField(MsgKind m, std::string_view name) {
  for (const FieldInfo& f : Fields(m)) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

}  // namespace xuncha::expr::internal
