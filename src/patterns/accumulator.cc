// PatternAccumulator: Add, Merge, Serialize, Parse. Detection (Finish) is in
// detect.cc.

#include "patterns/accumulator.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "base/utf8.h"

namespace xuncha {

using patterns_internal::Chunk;
using patterns_internal::kChunkValues;
using patterns_internal::kSpliceValues;
using patterns_internal::MinHasher;
using patterns_internal::Record;
using patterns_internal::StringPool;
using patterns_internal::UnitInfo;

namespace patterns_internal {

size_t StringPool::Slot(std::string_view s, uint64_t h) const {
  const size_t mask = slots_.size() - 1;
  const uint64_t tag = h >> 32;
  for (size_t i = static_cast<size_t>(h) & mask;; i = (i + 1) & mask) {
    const uint64_t at = slots_[i];
    if (at == 0) return i;
    if ((at >> 32) == tag && strings_[(at & 0xffffffffu) - 1] == s) return i;
  }
}

void StringPool::Rehash(size_t slots) {
  slots_.assign(slots, 0);
  const size_t mask = slots - 1;
  for (size_t id = 0; id < hashes_.size(); ++id) {
    const uint64_t h = hashes_[id];
    size_t i = static_cast<size_t>(h) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = (h >> 32) << 32 | (id + 1);
  }
}

void StringPool::Reserve(size_t n) {
  size_t slots = slots_.empty() ? 64 : slots_.size();
  while (2 * n > slots) slots *= 2;  // load <= 1/2
  if (slots != slots_.size()) Rehash(slots);
}

std::string_view StringPool::Store(std::string_view s) {
  if (s.empty()) return std::string_view();
  if (s.size() > free_size_) {
    // Blocks grow with the pool, from 256 bytes to 64 KiB.
    const size_t size = std::max(s.size(), std::clamp<size_t>(block_bytes_, 256, 64 << 10));
    blocks_.push_back(std::make_unique<char[]>(size));
    free_ = blocks_.back().get();
    free_size_ = size;
    block_bytes_ += size;
  }
  std::copy(s.begin(), s.end(), free_);
  std::string_view stored(free_, s.size());
  free_ += s.size();
  free_size_ -= s.size();
  return stored;
}

int32_t StringPool::Intern(std::string_view s, uint64_t h) {
  if (2 * (strings_.size() + 1) > slots_.size()) Rehash(slots_.empty() ? 64 : 2 * slots_.size());
  const size_t slot = Slot(s, h);
  if (slots_[slot] != 0) return static_cast<int32_t>((slots_[slot] & 0xffffffffu) - 1);
  const int32_t id = static_cast<int32_t>(strings_.size());
  strings_.push_back(Store(s));
  hashes_.push_back(h);
  slots_[slot] = (h >> 32) << 32 | static_cast<uint64_t>(id + 1);
  return id;
}

void StringPool::InternAll(const StringPool& other, std::vector<int32_t>* map) {
  const size_t n = other.size();
  Reserve(size() + n);  // no rehash below: addresses computed ahead stay valid
  map->resize(n);
  const size_t mask = slots_.size() - 1;
  // Lookups are cache misses in a large pool: on the slot, on the view it
  // names, on the characters. Fetch the slot kAhead strings ahead, the view
  // kAhead / 2 ahead once the slot is in cache, and the characters kAhead / 4
  // ahead, so that Intern() finds all three.
  constexpr size_t kAhead = 16;
  auto named = [&](size_t j) -> const std::string_view* {
    const uint64_t h = other.hashes_[j];
    const uint64_t at = slots_[static_cast<size_t>(h) & mask];
    return at != 0 && (at >> 32) == (h >> 32) ? &strings_[(at & 0xffffffffu) - 1] : nullptr;
  };
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) {
      __builtin_prefetch(&slots_[static_cast<size_t>(other.hashes_[i + kAhead]) & mask]);
    }
    if (i + kAhead / 2 < n) {
      if (const std::string_view* v = named(i + kAhead / 2)) __builtin_prefetch(v);
    }
    if (i + kAhead / 4 < n) {
      if (const std::string_view* v = named(i + kAhead / 4)) __builtin_prefetch(v->data());
    }
    (*map)[i] = Intern(other.strings_[i], other.hashes_[i]);
  }
}

int32_t StringPool::Find(std::string_view s) const {
  if (slots_.empty()) return -1;
  const size_t slot = Slot(s, Hash(s));
  return static_cast<int32_t>((slots_[slot] & 0xffffffffu)) - 1;
}

size_t StringPool::MemoryUsage() const {
  return block_bytes_ + strings_.capacity() * sizeof(std::string_view) +
         blocks_.capacity() * sizeof(blocks_[0]) + slots_.capacity() * sizeof(uint64_t) +
         hashes_.capacity() * sizeof(uint64_t);
}

std::vector<int32_t> StringPool::Ranks() const {
  std::vector<int32_t> order(strings_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int32_t a, int32_t b) { return strings_[a] < strings_[b]; });
  std::vector<int32_t> rank(strings_.size());
  for (size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<int32_t>(i);
  return rank;
}

}  // namespace patterns_internal

namespace {

constexpr int kFormatVersion = 1;

int32_t FiscalYear(std::string_view date) {
  if (date.size() < 4) return 0;
  int32_t year = 0;
  for (size_t i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return 0;
    year = year * 10 + (date[i] - '0');
  }
  if (date.size() > 4 && date[4] != '-') return 0;
  return year;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void NormalizeOptions(AccumulatorOptions* o) {
  std::sort(o->attr_keys.begin(), o->attr_keys.end());
  o->attr_keys.erase(std::unique(o->attr_keys.begin(), o->attr_keys.end()), o->attr_keys.end());
  if (o->shingle_chars < 1) o->shingle_chars = 1;
  if (o->minhash_size < 0) o->minhash_size = 0;
}

bool SameOptions(const AccumulatorOptions& a, const AccumulatorOptions& b) {
  return a.shingle_chars == b.shingle_chars && a.minhash_size == b.minhash_size &&
         a.hash_seed == b.hash_seed && a.attr_keys == b.attr_keys;
}

// Everything Add() learns about one finding, before interning.
struct Digest {
  std::string_view id, unit, round, category, subcategory;
  int64_t amount_fen = 0;
  int32_t fiscal_year = 0;
  bool classified = false;
};

}  // namespace

// --- AccumulatorOptions ---------------------------------------------------

StatusOr<AccumulatorOptions> AccumulatorOptions::ForDefs(
    const std::vector<v1::PatternDef>& defs) {
  AccumulatorOptions o;
  int shingles = 0;
  for (const v1::PatternDef& d : defs) {
    if (d.kind() == v1::PATTERN_KIND_NEAR_DUPLICATE) {
      int n = d.shingle_chars() > 0 ? d.shingle_chars() : 3;
      if (shingles != 0 && shingles != n) {
        return InvalidArgumentError("pattern " + d.id() + ": shingle_chars " + std::to_string(n) +
                                    " differs from another near-duplicate definition's " +
                                    std::to_string(shingles));
      }
      shingles = n;
    }
    if (d.kind() == v1::PATTERN_KIND_SPLIT_PURCHASE) {
      if (!d.item_attr().empty()) o.attr_keys.push_back(d.item_attr());
      if (!d.method_attr().empty()) o.attr_keys.push_back(d.method_attr());
    }
  }
  if (shingles != 0) o.shingle_chars = shingles;
  NormalizeOptions(&o);
  return o;
}

StatusOr<AccumulatorOptions> AccumulatorOptions::ForDefs(
    const google::protobuf::RepeatedPtrField<v1::PatternDef>& defs) {
  return ForDefs(std::vector<v1::PatternDef>(defs.begin(), defs.end()));
}

// --- Rep --------------------------------------------------------------------

void PatternAccumulator::Rep::NoteUnit(int32_t id, const UnitInfo& info) {
  auto [it, inserted] = units.try_emplace(id, info);
  if (inserted) return;
  UnitInfo& u = it->second;
  // Equal indices are equal strings: the common case costs no compare.
  auto larger = [&](int32_t a, int32_t b) {
    return a == b || pool.Get(a) >= pool.Get(b) ? a : b;
  };
  u.name = larger(u.name, info.name);
  u.kind = larger(u.kind, info.kind);
  u.business_line = larger(u.business_line, info.business_line);
  u.parent = larger(u.parent, info.parent);
  u.headcount = std::max(u.headcount, info.headcount);
}

uint32_t PatternAccumulator::Rep::OpenChunk(size_t signature_values, size_t shingle_values) {
  if (!chunks.empty()) {
    const Chunk& c = chunks[open_chunk];
    const bool empty = c.signatures.empty() && c.shingles.empty();
    if (empty || (c.signatures.size() + signature_values <= kChunkValues &&
                  c.shingles.size() + shingle_values <= kChunkValues)) {
      return static_cast<uint32_t>(open_chunk);
    }
  }
  Chunk next;
  if (!chunks.empty()) {
    // Past the first chunk the accumulator is large: the next chunk will
    // likely fill as the last one did, so reserve that instead of regrowing.
    next.signatures.reserve(chunks[open_chunk].signatures.size());
    next.shingles.reserve(chunks[open_chunk].shingles.size());
  }
  chunks.push_back(std::move(next));
  open_chunk = chunks.size() - 1;
  return static_cast<uint32_t>(open_chunk);
}

void PatternAccumulator::Rep::MergeFrom(const Rep& o, std::vector<Chunk>* o_chunks) {
  // Re-intern the other pool once, reusing its hashes, then append its flat
  // arrays in bulk, remapping pool indices and offsets. (No exact reserve()
  // of the arrays: growth must stay geometric over many merges.)
  std::vector<int32_t> map;
  pool.InternAll(o.pool, &map);

  // Where the findings of each chunk of `o` land: in the same chunk adopted
  // (moved or copied), or appended to the open one.
  struct Place {
    uint32_t chunk, row_base, shingle_base;
  };
  std::vector<Place> place(o.chunks.size());
  const size_t m = static_cast<size_t>(options.minhash_size);
  for (size_t c = 0; c < o.chunks.size(); ++c) {
    const Chunk& from = o.chunks[c];
    if (from.signatures.size() + from.shingles.size() >= kSpliceValues) {
      place[c] = {static_cast<uint32_t>(chunks.size()), 0, 0};
      if (o_chunks != nullptr) {
        chunks.push_back(std::move((*o_chunks)[c]));
      } else {
        chunks.push_back(from);
      }
      continue;
    }
    Chunk& to = chunks[OpenChunk(from.signatures.size(), from.shingles.size())];
    place[c] = {static_cast<uint32_t>(open_chunk),
                m == 0 ? 0 : static_cast<uint32_t>(to.signatures.size() / m),
                static_cast<uint32_t>(to.shingles.size())};
    to.signatures.insert(to.signatures.end(), from.signatures.begin(), from.signatures.end());
    to.shingles.insert(to.shingles.end(), from.shingles.begin(), from.shingles.end());
  }

  const size_t first = records.size();
  const uint32_t cp_base = static_cast<uint32_t>(counterparties.size());
  records.insert(records.end(), o.records.begin(), o.records.end());
  for (size_t i = first; i < records.size(); ++i) {
    Record& rec = records[i];
    rec.unit = map[rec.unit];
    rec.round = map[rec.round];
    rec.category = map[rec.category];
    rec.subcategory = map[rec.subcategory];
    rec.cp_begin += cp_base;
    const Place& p = place[rec.chunk];
    rec.chunk = p.chunk;
    rec.signature_row += p.row_base;
    rec.shingle_begin += p.shingle_base;
  }
  for (int32_t c : o.counterparties) counterparties.push_back(map[c]);
  for (int32_t a : o.attrs) attrs.push_back(map[a]);
  const uint64_t id_base = ids.size();
  ids.append(o.ids);
  for (uint64_t e : o.id_end) id_end.push_back(id_base + e);

  for (const auto& [id, info] : o.units) {
    UnitInfo u = info;
    u.name = map[u.name];
    u.kind = map[u.kind];
    u.business_line = map[u.business_line];
    u.parent = map[u.parent];
    NoteUnit(map[id], u);
  }
  for (const auto& [key, count] : o.spellings) spellings[{map[key.first], map[key.second]}] += count;
}

std::vector<uint32_t> PatternAccumulator::Rep::CanonicalOrder(
    const std::vector<int32_t>& rank) const {
  std::vector<uint32_t> order(records.size());
  std::iota(order.begin(), order.end(), 0u);
  const size_t k = options.attr_keys.size();
  const size_t m = static_cast<size_t>(options.minhash_size);
  auto less = [&](uint32_t a, uint32_t b) {
    if (int c = Id(a).compare(Id(b)); c != 0) return c < 0;
    const Record& x = records[a];
    const Record& y = records[b];
    auto key = [&](const Record& r) {
      return std::make_tuple(rank[r.unit], rank[r.round], rank[r.category], rank[r.subcategory],
                             r.amount_fen, r.fiscal_year, r.classified, r.cp_count,
                             r.shingle_count);
    };
    if (key(x) != key(y)) return key(x) < key(y);
    // Counterparties are distinct; compare them as sorted rank lists.
    std::vector<int32_t> cx, cy;
    for (uint32_t i = 0; i < x.cp_count; ++i) cx.push_back(rank[counterparties[x.cp_begin + i]]);
    for (uint32_t i = 0; i < y.cp_count; ++i) cy.push_back(rank[counterparties[y.cp_begin + i]]);
    std::sort(cx.begin(), cx.end());
    std::sort(cy.begin(), cy.end());
    if (cx != cy) return cx < cy;
    for (size_t i = 0; i < k; ++i) {
      int32_t va = rank[Attr(a, i)], vb = rank[Attr(b, i)];
      if (va != vb) return va < vb;
    }
    for (uint32_t i = 0; i < x.shingle_count; ++i) {
      if (Shingles(a)[i] != Shingles(b)[i]) return Shingles(a)[i] < Shingles(b)[i];
    }
    for (size_t i = 0; i < m; ++i) {
      if (Signature(a)[i] != Signature(b)[i]) return Signature(a)[i] < Signature(b)[i];
    }
    return false;
  };
  std::sort(order.begin(), order.end(), less);
  return order;
}

// --- PatternAccumulator -----------------------------------------------------

PatternAccumulator::PatternAccumulator(AccumulatorOptions options) : rep_(std::make_unique<Rep>()) {
  NormalizeOptions(&options);
  rep_->options = std::move(options);
}

PatternAccumulator::~PatternAccumulator() = default;

PatternAccumulator::PatternAccumulator(const PatternAccumulator& other)
    : rep_(std::make_unique<Rep>()) {
  rep_->options = other.rep_->options;
  Status s = Merge(other);
  (void)s;  // same options: cannot fail
}

PatternAccumulator& PatternAccumulator::operator=(const PatternAccumulator& other) {
  if (this != &other) *this = PatternAccumulator(other);
  return *this;
}

PatternAccumulator::PatternAccumulator(PatternAccumulator&& other) noexcept = default;
PatternAccumulator& PatternAccumulator::operator=(PatternAccumulator&& other) noexcept = default;

const AccumulatorOptions& PatternAccumulator::options() const { return rep_->options; }

int64_t PatternAccumulator::size() const { return static_cast<int64_t>(rep_->records.size()); }

size_t PatternAccumulator::MemoryUsage() const {
  const Rep& r = *rep_;
  size_t chunks = r.chunks.capacity() * sizeof(Chunk);
  for (const Chunk& c : r.chunks) {
    chunks += (c.signatures.capacity() + c.shingles.capacity()) * sizeof(uint32_t);
  }
  return sizeof(Rep) + chunks + r.pool.MemoryUsage() + r.ids.capacity() +
         r.id_end.capacity() * sizeof(uint64_t) + r.records.capacity() * sizeof(Record) +
         r.counterparties.capacity() * sizeof(int32_t) + r.attrs.capacity() * sizeof(int32_t) +
         r.units.MemoryUsage() + r.spellings.MemoryUsage();
}

namespace {

// Appends one finding's record; the variable parts come already interned.
void AppendRecord(PatternAccumulator::Rep& r, std::string_view id, Record rec,
                  const std::vector<int32_t>& cps, const std::vector<int32_t>& attr_values,
                  const uint32_t* shingles, size_t shingle_count, const uint32_t* signature) {
  r.ids.append(id);
  r.id_end.push_back(r.ids.size());
  rec.cp_begin = static_cast<uint32_t>(r.counterparties.size());
  rec.cp_count = static_cast<uint32_t>(cps.size());
  r.counterparties.insert(r.counterparties.end(), cps.begin(), cps.end());
  r.attrs.insert(r.attrs.end(), attr_values.begin(), attr_values.end());
  const size_t m = static_cast<size_t>(r.options.minhash_size);
  rec.chunk = r.OpenChunk(m, shingle_count);
  Chunk& c = r.chunks[rec.chunk];
  rec.signature_row = m == 0 ? 0 : static_cast<uint32_t>(c.signatures.size() / m);
  rec.shingle_begin = static_cast<uint32_t>(c.shingles.size());
  rec.shingle_count = static_cast<uint32_t>(shingle_count);
  c.shingles.insert(c.shingles.end(), shingles, shingles + shingle_count);
  if (signature != nullptr) {
    c.signatures.insert(c.signatures.end(), signature, signature + m);
  } else {
    c.signatures.insert(c.signatures.end(), m, 0xffffffffu);
  }
  r.records.push_back(rec);
}

// The hasher of an options set; cached per thread for the common case.
const MinHasher& HasherFor(const AccumulatorOptions& o) {
  thread_local int size = -1;
  thread_local uint64_t seed = 0;
  thread_local std::unique_ptr<MinHasher> hasher;
  if (!hasher || size != o.minhash_size || seed != o.hash_seed) {
    hasher = std::make_unique<MinHasher>(o.minhash_size, o.hash_seed);
    size = o.minhash_size;
    seed = o.hash_seed;
  }
  return *hasher;
}

}  // namespace

void PatternAccumulator::Add(const v1::ClassifiedFinding& cf) {
  Rep& r = *rep_;
  const v1::Finding& f = cf.finding();
  const v1::Classification& c = cf.classification();

  Record rec;
  int32_t unit = r.pool.Intern(f.unit().id());
  rec.unit = unit;
  rec.round = r.pool.Intern(f.round());
  rec.classified = c.classified() && !c.category().empty();
  if (rec.classified) {
    rec.category = r.pool.Intern(c.category());
    rec.subcategory = r.pool.Intern(c.subcategory());
  }
  rec.amount_fen = c.amount().fen() != 0 ? c.amount().fen() : f.amount().fen();
  rec.fiscal_year = FiscalYear(f.occurred_on());
  if (rec.fiscal_year == 0) rec.fiscal_year = FiscalYear(f.found_on());

  // Most findings repeat what is known of their unit: compare before
  // interning (string compares are cheaper than hash lookups).
  auto known = r.units.find(unit);
  const v1::Unit& fu = f.unit();
  if (known == r.units.end() || r.pool.Get(known->second.name) != fu.name() ||
      r.pool.Get(known->second.kind) != fu.kind() ||
      r.pool.Get(known->second.business_line) != fu.business_line() ||
      r.pool.Get(known->second.parent) != fu.parent_id() ||
      known->second.headcount != fu.headcount()) {
    UnitInfo info;
    info.name = r.pool.Intern(fu.name());
    info.kind = r.pool.Intern(fu.kind());
    info.business_line = r.pool.Intern(fu.business_line());
    info.parent = r.pool.Intern(fu.parent_id());
    info.headcount = fu.headcount();
    r.NoteUnit(unit, info);
  }

  std::vector<int32_t> cps;
  for (const v1::Counterparty& cp : f.counterparties()) {
    std::string_view original = Trim(cp.name());
    if (original.empty()) continue;
    std::string key = NormalizeCounterpartyName(original);
    if (key.empty()) continue;
    int32_t k = r.pool.Intern(key);
    if (std::find(cps.begin(), cps.end(), k) != cps.end()) continue;
    cps.push_back(k);
    ++r.spellings[{k, r.pool.Intern(original)}];
  }

  std::vector<int32_t> attr_values(r.options.attr_keys.size(), 0);
  for (size_t i = 0; i < r.options.attr_keys.size(); ++i) {
    auto it = f.attrs().find(r.options.attr_keys[i]);
    if (it != f.attrs().end()) attr_values[i] = r.pool.Intern(Trim(it->second));
  }

  thread_local std::vector<uint32_t> shingles;
  thread_local std::vector<uint32_t> signature;
  shingles.clear();
  const uint32_t* sig = nullptr;
  if (r.options.minhash_size > 0) {
    patterns_internal::ShingleHashes(f.text(), r.options.shingle_chars, r.options.hash_seed,
                                     &shingles);
    if (!shingles.empty()) {
      signature.resize(r.options.minhash_size);
      HasherFor(r.options).Sign(shingles.data(), shingles.size(), signature.data());
      sig = signature.data();
    }
  }
  AppendRecord(r, f.id(), rec, cps, attr_values, shingles.data(), shingles.size(), sig);
}

Status PatternAccumulator::Merge(const PatternAccumulator& other) {
  if (&other == this) {
    PatternAccumulator copy(other);
    return Merge(std::move(copy));
  }
  if (!SameOptions(rep_->options, other.rep_->options)) {
    return InvalidArgumentError("cannot merge pattern accumulators with different options");
  }
  rep_->MergeFrom(*other.rep_, nullptr);
  return Status::OK();
}

Status PatternAccumulator::Merge(PatternAccumulator&& other) {
  if (&other == this) return Merge(static_cast<const PatternAccumulator&>(other));
  if (!SameOptions(rep_->options, other.rep_->options)) {
    return InvalidArgumentError("cannot merge pattern accumulators with different options");
  }
  // Merge the smaller into the larger: merging is commutative, and the cost
  // is then the smaller one's pool, records and small chunks.
  if (other.rep_->records.size() > rep_->records.size()) std::swap(rep_, other.rep_);
  rep_->MergeFrom(*other.rep_, &other.rep_->chunks);
  auto empty = std::make_unique<Rep>();
  empty->options = rep_->options;
  other.rep_ = std::move(empty);  // frees what was not moved
  return Status::OK();
}

Status PatternAccumulator::MergeAll(const std::vector<const PatternAccumulator*>& others) {
  Rep& r = *rep_;
  size_t records = r.records.size(), cps = r.counterparties.size(), attrs = r.attrs.size();
  size_t ids = r.ids.size();
  for (const PatternAccumulator* o : others) {
    if (o == this) continue;
    records += o->rep_->records.size();
    cps += o->rep_->counterparties.size();
    attrs += o->rep_->attrs.size();
    ids += o->rep_->ids.size();
  }
  r.records.reserve(records);
  r.id_end.reserve(records);
  r.counterparties.reserve(cps);
  r.attrs.reserve(attrs);
  r.ids.reserve(ids);
  for (const PatternAccumulator* o : others) XUNCHA_RETURN_IF_ERROR(Merge(*o));
  return Status::OK();
}

namespace {
std::string Str(const PatternAccumulator::Rep& r, int32_t i) { return std::string(r.pool.Get(i)); }
}  // namespace

v1::PatternState PatternAccumulator::Serialize() const {
  const Rep& r = *rep_;
  v1::PatternState state;
  state.set_format_version(kFormatVersion);
  state.set_shingle_chars(r.options.shingle_chars);
  state.set_minhash_size(r.options.minhash_size);
  state.set_hash_seed(r.options.hash_seed);
  for (const std::string& key : r.options.attr_keys) state.add_attr_keys(key);

  std::vector<int32_t> rank = r.pool.Ranks();
  std::vector<std::pair<int32_t, UnitInfo>> units(r.units.begin(), r.units.end());
  std::sort(units.begin(), units.end(),
            [&](const auto& a, const auto& b) { return rank[a.first] < rank[b.first]; });
  for (const auto& [id, info] : units) {
    v1::Unit* u = state.add_units();
    u->set_id(Str(r, id));
    u->set_name(Str(r, info.name));
    u->set_parent_id(Str(r, info.parent));
    u->set_kind(Str(r, info.kind));
    u->set_business_line(Str(r, info.business_line));
    u->set_headcount(info.headcount);
  }
  for (uint32_t i : r.CanonicalOrder(rank)) {
    const Record& rec = r.records[i];
    v1::FindingDigest* d = state.add_findings();
    d->set_finding_id(std::string(r.Id(i)));
    d->set_unit_id(Str(r, rec.unit));
    d->set_round(Str(r, rec.round));
    d->set_classified(rec.classified);
    d->set_category(Str(r, rec.category));
    d->set_subcategory(Str(r, rec.subcategory));
    d->set_amount_fen(rec.amount_fen);
    std::vector<std::string_view> cps;
    for (uint32_t j = 0; j < rec.cp_count; ++j) cps.push_back(r.pool.Get(r.counterparties[rec.cp_begin + j]));
    std::sort(cps.begin(), cps.end());
    for (std::string_view cp : cps) d->add_counterparties(std::string(cp));
    for (size_t j = 0; j < r.options.attr_keys.size(); ++j) d->add_attr_values(Str(r, r.Attr(i, j)));
    d->set_fiscal_year(rec.fiscal_year);
    if (rec.shingle_count > 0) {
      d->mutable_minhash()->Add(r.Signature(i), r.Signature(i) + r.options.minhash_size);
      d->mutable_shingles()->Add(r.Shingles(i), r.Shingles(i) + rec.shingle_count);
    }
  }
  std::vector<std::pair<std::pair<int32_t, int32_t>, int64_t>> spellings(r.spellings.begin(),
                                                                         r.spellings.end());
  std::sort(spellings.begin(), spellings.end(), [&](const auto& a, const auto& b) {
    return std::make_pair(rank[a.first.first], rank[a.first.second]) <
           std::make_pair(rank[b.first.first], rank[b.first.second]);
  });
  for (const auto& [key, count] : spellings) {
    v1::CounterpartySpelling* s = state.add_spellings();
    s->set_normalized(Str(r, key.first));
    s->set_original(Str(r, key.second));
    s->set_count(count);
  }
  return state;
}

StatusOr<PatternAccumulator> PatternAccumulator::Parse(const v1::PatternState& state) {
  if (state.format_version() != kFormatVersion) {
    return InvalidArgumentError("pattern state format_version " +
                                std::to_string(state.format_version()) + " is not supported (want " +
                                std::to_string(kFormatVersion) + ")");
  }
  AccumulatorOptions o;
  o.shingle_chars = state.shingle_chars();
  o.minhash_size = state.minhash_size();
  o.hash_seed = state.hash_seed();
  o.attr_keys.assign(state.attr_keys().begin(), state.attr_keys().end());
  if (o.shingle_chars < 1 || o.minhash_size < 0 || o.minhash_size > 1024) {
    return InvalidArgumentError("pattern state has shingle_chars " + std::to_string(o.shingle_chars) +
                                " and minhash_size " + std::to_string(o.minhash_size));
  }
  if (!std::is_sorted(o.attr_keys.begin(), o.attr_keys.end()) ||
      std::adjacent_find(o.attr_keys.begin(), o.attr_keys.end()) != o.attr_keys.end()) {
    return InvalidArgumentError("pattern state attr_keys are not sorted and distinct");
  }
  PatternAccumulator acc(o);
  Rep& r = *acc.rep_;
  for (const v1::Unit& u : state.units()) {
    UnitInfo info;
    info.name = r.pool.Intern(u.name());
    info.kind = r.pool.Intern(u.kind());
    info.business_line = r.pool.Intern(u.business_line());
    info.parent = r.pool.Intern(u.parent_id());
    info.headcount = u.headcount();
    r.NoteUnit(r.pool.Intern(u.id()), info);
  }
  std::vector<int32_t> cps, attr_values;
  int index = 0;
  for (const v1::FindingDigest& d : state.findings()) {
    auto where = [&] { return "pattern state finding " + std::to_string(index) + " (" + d.finding_id() + ")"; };
    if (d.attr_values_size() != static_cast<int>(o.attr_keys.size())) {
      return DataLossError(where() + ": " + std::to_string(d.attr_values_size()) +
                           " attr values for " + std::to_string(o.attr_keys.size()) + " keys");
    }
    if (d.shingles_size() > 0 ? d.minhash_size() != o.minhash_size : d.minhash_size() != 0) {
      return DataLossError(where() + ": MinHash signature of " + std::to_string(d.minhash_size()) +
                           " values");
    }
    if (!std::is_sorted(d.shingles().begin(), d.shingles().end()) ||
        std::adjacent_find(d.shingles().begin(), d.shingles().end()) != d.shingles().end()) {
      return DataLossError(where() + ": shingles are not sorted and distinct");
    }
    Record rec;
    rec.unit = r.pool.Intern(d.unit_id());
    rec.round = r.pool.Intern(d.round());
    rec.classified = d.classified();
    rec.category = r.pool.Intern(d.category());
    rec.subcategory = r.pool.Intern(d.subcategory());
    rec.amount_fen = d.amount_fen();
    rec.fiscal_year = d.fiscal_year();
    if (r.units.find(rec.unit) == r.units.end()) r.NoteUnit(rec.unit, UnitInfo{});
    cps.clear();
    for (const std::string& cp : d.counterparties()) {
      int32_t k = r.pool.Intern(cp);
      if (std::find(cps.begin(), cps.end(), k) == cps.end()) cps.push_back(k);
    }
    attr_values.clear();
    for (const std::string& v : d.attr_values()) attr_values.push_back(r.pool.Intern(v));
    AppendRecord(r, d.finding_id(), rec, cps, attr_values, d.shingles().data(), d.shingles_size(),
                 d.shingles_size() > 0 ? d.minhash().data() : nullptr);
    ++index;
  }
  for (const v1::CounterpartySpelling& s : state.spellings()) {
    r.spellings[{r.pool.Intern(s.normalized()), r.pool.Intern(s.original())}] += s.count();
  }
  return acc;
}

}  // namespace xuncha
