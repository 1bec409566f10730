// Internal: SHA-256 (FIPS 180-4), for the content hash that ties every
// classification to the exact compiled rules that made it.

#ifndef XUNCHA_BASE_SHA256_H_
#define XUNCHA_BASE_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace xuncha {

// Thread-compatible.
class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // REQUIRES: called once.
  std::array<uint8_t, 32> Finish();
  // Lower-case hex of the digest of `data`.
  static std::string Hex(std::string_view data);

 private:
  void Block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

}  // namespace xuncha

#endif  // XUNCHA_BASE_SHA256_H_
