// Internal to src/patterns/: the representation of PatternAccumulator
// (include/xuncha/patterns.h is the public door).
//
// Design note on memory. A round of a million findings must fit in 1 GiB, so
// a finding is not kept as a message. Strings that repeat (unit ids, rounds,
// categories, counterparty names, attr values) are interned once in a pool
// and referred to by 32-bit index; finding ids, which do not repeat, live in
// one character arena. Variable-length parts (counterparties, shingles) are
// slices of flat arrays; the MinHash signature is a fixed-stride slice. At 60
// characters of text this is ~430 bytes a finding, most of it the shingle
// set that lets candidate pairs be verified by exact Jaccard.
//
// Design note on determinism. Pool indices depend on the order findings
// arrived in, so nothing that reaches a report may depend on them: Finish()
// and Serialize() first rank the pool's strings and order findings by
// (finding id, then every other field), which is the same for any sharding.

#ifndef XUNCHA_PATTERNS_ACCUMULATOR_H_
#define XUNCHA_PATTERNS_ACCUMULATOR_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patterns/text.h"
#include "xuncha/patterns.h"

namespace xuncha {

namespace patterns_internal {

// Interned strings. Index 0 is always "".
//
// Open addressing: one probe sequence in a flat array of slots, each holding
// the string's index and the upper half of its 64-bit hash, so a probe reads
// nothing but the slot array until the hashes agree (node-based
// std::unordered_map was an eighth of Add's time, and a slot that held only
// the index cost a cache miss per probe in Merge, which re-interns the
// other pool). The characters live in a few large blocks, not one heap
// allocation per string: a consuming merge frees the other pool, and
// hundreds of thousands of scattered frees were a third of its time.
//
// Movable, not copyable (the views point into the blocks).
class StringPool {
 public:
  StringPool() { Intern(""); }
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;
  StringPool(StringPool&&) = default;
  StringPool& operator=(StringPool&&) = default;

  int32_t Intern(std::string_view s) { return Intern(s, Hash(s)); }
  // REQUIRES: h == Hash(s), e.g. another pool's hash(i) for its Get(i).
  int32_t Intern(std::string_view s, uint64_t h);
  // Interns every string of `other`: (*map)[i] = Intern(other.Get(i)).
  void InternAll(const StringPool& other, std::vector<int32_t>* map);
  // The index of `s`, or -1 when it was never interned.
  int32_t Find(std::string_view s) const;
  // Valid as long as the pool.
  std::string_view Get(int32_t i) const { return strings_[i]; }
  uint64_t hash(int32_t i) const { return hashes_[i]; }
  size_t size() const { return strings_.size(); }
  // Makes room for `n` strings in all without regrowing the slots.
  void Reserve(size_t n);
  size_t MemoryUsage() const;
  // rank[i] = position of string i in sorted order.
  std::vector<int32_t> Ranks() const;

  static uint64_t Hash(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    // FNV's low bits vary little over strings that differ in their last
    // characters ("HT10001", "HT10002"); the slot is taken from the low bits,
    // so finish with a full mixer or linear probing clusters.
    return SplitMix64(h);
  }

 private:
  // The slot of `s`: where it is, or the empty slot where it would go.
  size_t Slot(std::string_view s, uint64_t h) const;
  void Rehash(size_t slots);

  // A copy of `s` in the blocks.
  std::string_view Store(std::string_view s);

  std::vector<std::string_view> strings_;       // into blocks_
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;  // the unused end of the last block
  size_t free_size_ = 0;
  size_t block_bytes_ = 0;  // all blocks
  std::vector<uint64_t> slots_;   // (hash >> 32) << 32 | (string index + 1); 0 = empty
  std::vector<uint64_t> hashes_;  // per string
};

// A hash map in two flat arrays: entries in insertion order, and open
// addressing slots that index them. Used for the per-unit and per-spelling
// maps, which Merge() probes once per entry of the other accumulator and
// which a consuming merge frees: node-based std::unordered_map spent most of
// that time on cache misses and on malloc and free of one node per entry.
// Iteration is in insertion order, which depends on the order findings
// arrived in: readers must sort or reduce order-independently.
template <typename K, typename V, typename Hash>
class FlatMap {
 public:
  using value_type = std::pair<K, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  iterator begin() { return entries_.begin(); }
  iterator end() { return entries_.end(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }

  const_iterator find(const K& key) const {
    if (slots_.empty()) return end();
    const uint32_t at = slots_[Slot(key)];
    return at == 0 ? end() : begin() + (at - 1);
  }
  iterator find(const K& key) {
    if (slots_.empty()) return end();
    const uint32_t at = slots_[Slot(key)];
    return at == 0 ? end() : begin() + (at - 1);
  }
  std::pair<iterator, bool> try_emplace(const K& key, const V& value) {
    if (2 * (entries_.size() + 1) > slots_.size()) Rehash(slots_.empty() ? 16 : 2 * slots_.size());
    const size_t slot = Slot(key);
    if (slots_[slot] != 0) return {begin() + (slots_[slot] - 1), false};
    entries_.emplace_back(key, value);
    slots_[slot] = static_cast<uint32_t>(entries_.size());
    return {end() - 1, true};
  }
  V& operator[](const K& key) { return try_emplace(key, V{}).first->second; }

  size_t MemoryUsage() const {
    return entries_.capacity() * sizeof(value_type) + slots_.capacity() * sizeof(uint32_t);
  }

 private:
  size_t Slot(const K& key) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = Hash()(key) & mask;; i = (i + 1) & mask) {
      const uint32_t at = slots_[i];
      if (at == 0 || entries_[at - 1].first == key) return i;
    }
  }
  void Rehash(size_t slots) {
    slots_.assign(slots, 0);
    const size_t mask = slots - 1;
    for (size_t e = 0; e < entries_.size(); ++e) {
      size_t i = Hash()(entries_[e].first) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = static_cast<uint32_t>(e + 1);
    }
  }

  std::vector<value_type> entries_;
  std::vector<uint32_t> slots_;  // entry index + 1; 0 = empty
};

struct IndexHash {
  size_t operator()(int32_t i) const { return static_cast<size_t>(SplitMix64(static_cast<uint32_t>(i))); }
};
struct IndexPairHash {
  size_t operator()(const std::pair<int32_t, int32_t>& p) const {
    return static_cast<size_t>(SplitMix64((static_cast<uint64_t>(p.first) << 32) ^
                                          static_cast<uint32_t>(p.second)));
  }
};

struct UnitInfo {
  int32_t name = 0;  // pool indices
  int32_t kind = 0;
  int32_t business_line = 0;
  int32_t parent = 0;
  int32_t headcount = 0;
};

struct Record {
  int32_t unit = 0;  // pool indices
  int32_t round = 0;
  int32_t category = 0;
  int32_t subcategory = 0;
  int64_t amount_fen = 0;
  int32_t fiscal_year = 0;
  bool classified = false;
  uint32_t cp_begin = 0;  // into Rep::counterparties
  uint32_t cp_count = 0;
  uint32_t chunk = 0;          // into Rep::chunks
  uint32_t signature_row = 0;  // in the chunk's signatures
  uint32_t shingle_begin = 0;  // into the chunk's shingles
  uint32_t shingle_count = 0;
};

// Values (of either kind) a chunk takes before Add() starts another, and
// the size from which Merge() adopts a chunk instead of appending it.
constexpr size_t kChunkValues = size_t{1} << 22;   // 16 MiB
constexpr size_t kSpliceValues = size_t{1} << 16;  // 256 KiB

// MinHash signatures and shingle sets of some findings: the bulk of the
// state (three quarters at a million findings). See the design note on
// merging in Rep.
struct Chunk {
  std::vector<uint32_t> signatures;  // stride options.minhash_size
  std::vector<uint32_t> shingles;
};

}  // namespace patterns_internal

using patterns_internal::SplitMix64;

struct PatternAccumulator::Rep {
  AccumulatorOptions options;
  patterns_internal::StringPool pool;
  // Finding ids: id i is ids[id_end[i-1] .. id_end[i]).
  std::string ids;
  std::vector<uint64_t> id_end;
  std::vector<patterns_internal::Record> records;
  std::vector<int32_t> counterparties;  // pool indices of normalised names
  std::vector<int32_t> attrs;           // stride options.attr_keys.size()
  std::vector<patterns_internal::Chunk> chunks;  // signatures and shingles
  size_t open_chunk = 0;  // the one Add() fills, when chunks is not empty
  // By unit id index.
  patterns_internal::FlatMap<int32_t, patterns_internal::UnitInfo, patterns_internal::IndexHash> units;
  // (normalised, original) -> count.
  patterns_internal::FlatMap<std::pair<int32_t, int32_t>, int64_t, patterns_internal::IndexPairHash>
      spellings;

  std::string_view Id(size_t i) const {
    uint64_t begin = i == 0 ? 0 : id_end[i - 1];
    return std::string_view(ids).substr(begin, id_end[i] - begin);
  }
  const uint32_t* Signature(size_t i) const {
    const patterns_internal::Record& rec = records[i];
    return chunks[rec.chunk].signatures.data() +
           static_cast<size_t>(rec.signature_row) * static_cast<size_t>(options.minhash_size);
  }
  const uint32_t* Shingles(size_t i) const {
    const patterns_internal::Record& rec = records[i];
    return chunks[rec.chunk].shingles.data() + rec.shingle_begin;
  }
  int32_t Attr(size_t i, size_t key) const { return attrs[i * options.attr_keys.size() + key]; }

  // Merges unit facts commutatively: each field keeps the larger value.
  void NoteUnit(int32_t id, const patterns_internal::UnitInfo& info);

  // Adds everything `o` holds. `o_chunks` is &o.chunks when `o` is being
  // consumed (its large chunks are then moved, not copied), else null.
  // REQUIRES: same options; &o != this.
  void MergeFrom(const Rep& o, std::vector<patterns_internal::Chunk>* o_chunks);
  // The open chunk, with room for `signatures` and `shingles` more values;
  // starts a new one when it has not.
  uint32_t OpenChunk(size_t signatures, size_t shingles);

  // Indices of records in canonical order (see the design note), given the
  // pool's ranks.
  std::vector<uint32_t> CanonicalOrder(const std::vector<int32_t>& rank) const;
};

}  // namespace xuncha

#endif  // XUNCHA_PATTERNS_ACCUMULATOR_H_
