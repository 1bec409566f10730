// Internal to src/expr: CEL types (for the checker) and run-time values (for
// the evaluator). The public door of this folder is expr.h.
//
// Design note: a Value is a small tagged struct. Scalars live inline;
// strings, lists, maps and messages read from the finding are *borrowed*
// (a view or a pointer into the Activation's data), so the common path of a
// condition — reading fields, comparing them with constants — allocates
// nothing. Only values built at run time (a concatenated string, a mapped
// list, an error message) own heap data, through `owner`.

#ifndef XUNCHA_EXPR_VALUE_H_
#define XUNCHA_EXPR_VALUE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expr/expr.h"

namespace xuncha::expr::internal {

// The message types the language knows.
enum class MsgKind : uint8_t { kFinding, kUnit, kCounterparty, kEvidence, kResult };
std::string_view MsgTypeName(MsgKind k);

// ---------------------------------------------------------------------------
// Static types.

struct Type;
using TypeP = std::shared_ptr<const Type>;

struct Type {
  enum Kind { kDyn, kNull, kBool, kInt, kUint, kDouble, kString, kBytes, kList, kMap,
              kMessage, kType, kError };
  Kind kind = kDyn;
  TypeP elem;  // list element, map value
  TypeP key;   // map key
  MsgKind msg = MsgKind::kFinding;

  std::string Name() const;  // "int", "list(string)", "map(string, int)", "xuncha.v1.Unit"
  bool IsNumeric() const { return kind == kInt || kind == kUint || kind == kDouble; }
};

TypeP DynT();
TypeP NullT();
TypeP BoolT();
TypeP IntT();
TypeP UintT();
TypeP DoubleT();
TypeP StringT();
TypeP BytesT();
TypeP TypeT();
TypeP ErrorT();
TypeP ListT(TypeP elem);
TypeP MapT(TypeP key, TypeP value);
TypeP MessageT(MsgKind m);

// True if a value of type `a` may be used where `b` is expected (dyn and
// error are compatible with everything; null with messages).
bool Assignable(const Type& a, const Type& b);
// Whether two types are the same (dyn matches anything).
bool SameType(const Type& a, const Type& b);
// The common type of two branches/elements: the type if equal, else dyn.
TypeP Join(const TypeP& a, const TypeP& b);

// ---------------------------------------------------------------------------
// Values.

enum class ListSrc : uint8_t {
  kOwned,           // const std::vector<Value>*
  kProtoStrings,    // const google::protobuf::RepeatedPtrField<std::string>*
  kStdStrings,      // const std::vector<std::string>*
  kInts,            // const std::vector<int64_t>*
  kCounterparties,  // const google::protobuf::RepeatedPtrField<v1::Counterparty>*
  kEvidence,        // const google::protobuf::RepeatedPtrField<v1::EvidenceRef>*
};
enum class MapSrc : uint8_t {
  kOwned,  // const std::vector<std::pair<Value, Value>>* (unique keys)
  kAttrs,  // const google::protobuf::Map<std::string, std::string>*
};

struct Value {
  enum Kind : uint8_t { kNull, kBool, kInt, kUint, kDouble, kString, kBytes, kList, kMap,
                        kMessage, kType, kError };
  Kind kind = kNull;
  uint8_t sub = 0;  // ListSrc, MapSrc or MsgKind
  union {
    bool b;
    int64_t i;
    uint64_t u;
    double d;
    const void* p;
  };
  std::string_view s;  // string, bytes, type name, error message
  // Keeps owned data alive: the string `s` views, the list or map `p`
  // points to. Null for borrowed and scalar values.
  std::shared_ptr<const void> owner;
  // For messages: the activation (Finding's amount and text_amounts come
  // from it).
  const Activation* act = nullptr;

  Value() : i(0) {}

  static Value Null() { return Value(); }
  static Value Bool(bool v) { Value x; x.kind = kBool; x.b = v; return x; }
  static Value Int(int64_t v) { Value x; x.kind = kInt; x.i = v; return x; }
  static Value Uint(uint64_t v) { Value x; x.kind = kUint; x.u = v; return x; }
  static Value Double(double v) { Value x; x.kind = kDouble; x.d = v; return x; }
  static Value StringView(std::string_view v) { Value x; x.kind = kString; x.s = v; return x; }
  static Value BytesView(std::string_view v) { Value x; x.kind = kBytes; x.s = v; return x; }
  static Value String(std::string v);
  static Value Bytes(std::string v);
  static Value TypeName(std::string_view static_name) {
    Value x; x.kind = kType; x.s = static_name; return x;
  }
  static Value OwnedTypeName(std::string name);
  static Value Error(std::string message);
  static Value List(ListSrc src, const void* p) {
    Value x; x.kind = kList; x.sub = static_cast<uint8_t>(src); x.p = p; return x;
  }
  static Value OwnedList(std::vector<Value> items);
  static Value Map(MapSrc src, const void* p) {
    Value x; x.kind = kMap; x.sub = static_cast<uint8_t>(src); x.p = p; return x;
  }
  // REQUIRES: keys unique (by CEL equality).
  static Value OwnedMap(std::vector<std::pair<Value, Value>> entries);
  static Value Message(MsgKind m, const void* p, const Activation* act) {
    Value x; x.kind = kMessage; x.sub = static_cast<uint8_t>(m); x.p = p; x.act = act; return x;
  }

  bool is_error() const { return kind == kError; }
  MsgKind msg() const { return static_cast<MsgKind>(sub); }
};

// The usual run-time errors.
Value NoOverload(std::string_view function, const Value& a);
Value NoOverload(std::string_view function, const Value& a, const Value& b);
std::string_view KindName(const Value& v);  // "int", "list", "xuncha.v1.Unit" …

// Lists and maps of any source.
size_t ListSize(const Value& list);
Value ListGet(const Value& list, size_t i);
size_t MapSize(const Value& map);
// Entries in a stable order (attrs sorted by key; owned maps as built).
std::vector<std::pair<Value, Value>> MapEntries(const Value& map);
// Looks a key up (int and uint keys of equal value are the same key).
// Returns false when absent; an error value in *out for an invalid key type.
bool MapFind(const Value& map, const Value& key, Value* out);

// CEL equality: heterogeneous numbers compare by value, lists and maps
// deeply, values of different kinds are unequal. Operands must not be errors.
bool Equal(const Value& a, const Value& b);
// CEL ordering: -1, 0, 1; or nullopt-like 2 when unordered (NaN) and 3 when
// no overload exists for the kinds.
int Compare(const Value& a, const Value& b);
inline constexpr int kUnordered = 2;
inline constexpr int kNoOrder = 3;

// Printing as CEL does: "s" with escapes, 1u, 1.5, [1, 2], {"a": 1}, null.
std::string Display(const Value& v);
std::string FormatDouble(double d);
// The dynamic type name of a value for `xuncha expr` output: list(int) when
// all elements share a type, else list(dyn).
std::string DynamicTypeName(const Value& v);

// ---------------------------------------------------------------------------
// Message fields.

struct FieldInfo {
  const char* name;
  TypeP type;
  Value (*get)(const void* msg, const Activation* act);
  bool (*has)(const void* msg, const Activation* act);
};
// The fields of a message type, or null for an unknown field.
const FieldInfo* FindField(MsgKind m, std::string_view name);
const std::vector<FieldInfo>& Fields(MsgKind m);

// Root variables: every field of the Finding, plus `finding` and `result`.
// Names of the finding's fields are also top-level variables.

}  // namespace xuncha::expr::internal

#endif  // XUNCHA_EXPR_VALUE_H_
