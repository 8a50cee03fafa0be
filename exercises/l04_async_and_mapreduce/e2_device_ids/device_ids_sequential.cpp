// Given, do not modify: exercise 4.2's given code (the UUIDs, the ID maker, counting, merging) and
// its sequential baseline. Exercise 4.3 compiles this file too.
#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "device_ids.hpp"

namespace parlab {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// splitmix64's finalizer: a bijection of 64-bit words that mixes every input bit into every output
// bit. mix64(0) == 0.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// One step of splitmix64: advance the state by the golden gamma, return the mixed state.
constexpr std::uint64_t next_random(std::uint64_t& state) noexcept { return mix64(state += 0x9E3779B97F4A7C15ULL); }

// The UUID of (seed, index) in its 36 characters, written into `out`.
//
// The generator's state is mix64(mix64(seed) ^ index): distinct indices give distinct states (mix64
// is a bijection), and neighbouring indices give unrelated ones, so no two IDs share a stream. Two
// splitmix64 outputs, hi then lo, are the UUID's 16 bytes, most significant byte first. Byte 6's
// high nibble becomes 4 (version 4, random) and byte 8's two high bits become 10 (the RFC 4122
// variant), as Python's uuid.UUID(int=(hi << 64) | lo, version=4) would set them.
//
// A hand-written formatter, because formatting costs more than hashing: snprintf("%08x-...") would
// take longer than the SHA-1 it feeds (measured, see STACK.md).
void write_uuid(std::uint64_t seed, std::uint64_t index, char* out) noexcept {
  std::uint64_t state = mix64(mix64(seed) ^ index);
  const std::uint64_t hi = next_random(state);
  const std::uint64_t lo = next_random(state);
  std::array<unsigned char, 16> bytes{};
  for (int b = 0; b < 8; ++b) {
    bytes[b] = static_cast<unsigned char>(hi >> (56 - 8 * b));
    bytes[8 + b] = static_cast<unsigned char>(lo >> (56 - 8 * b));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // variant 10xx
  std::size_t pos = 0;
  for (std::size_t b = 0; b < bytes.size(); ++b) {
    if (b == 4 || b == 6 || b == 8 || b == 10) out[pos++] = '-';  // 8-4-4-4-12
    out[pos++] = kHexDigits[bytes[b] >> 4];
    out[pos++] = kHexDigits[bytes[b] & 0x0F];
  }
}

// The value of a lowercase hex digit, as the makers write them.
constexpr std::size_t hex_value(char digit) noexcept {
  return digit <= '9' ? static_cast<std::size_t>(digit - '0') : static_cast<std::size_t>(digit - 'a' + 10);
}

}  // namespace

std::string device_uuid(std::uint64_t seed, std::uint64_t index) {
  std::string uuid(kUuidLength, '0');
  write_uuid(seed, index, uuid.data());
  return uuid;
}

DeviceIdMaker::DeviceIdMaker() : md_(EVP_MD_fetch(nullptr, "SHA1", nullptr)), ctx_(EVP_MD_CTX_new()) {
  if (md_ == nullptr || ctx_ == nullptr) {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
    throw std::runtime_error("DeviceIdMaker: OpenSSL has no SHA1, or no memory for a digest context");
  }
}

DeviceIdMaker::~DeviceIdMaker() {
  EVP_MD_CTX_free(ctx_);  // both accept nullptr (a moved-from maker)
  EVP_MD_free(md_);
}

DeviceIdMaker::DeviceIdMaker(DeviceIdMaker&& other) noexcept
    : md_(std::exchange(other.md_, nullptr)), ctx_(std::exchange(other.ctx_, nullptr)), id_(other.id_) {}

DeviceIdMaker& DeviceIdMaker::operator=(DeviceIdMaker&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
    md_ = std::exchange(other.md_, nullptr);
    ctx_ = std::exchange(other.ctx_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

std::string_view DeviceIdMaker::make(std::uint64_t seed, std::uint64_t index) {
  std::array<char, kUuidLength> uuid{};
  write_uuid(seed, index, uuid.data());
  // The fetched algorithm and the one context, reused: EVP_DigestInit_ex on a context that already
  // holds this algorithm only resets its state, with no lookup and no lock.
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, md_, nullptr) != 1 ||
      EVP_DigestUpdate(ctx_, uuid.data(), uuid.size()) != 1 || EVP_DigestFinal_ex(ctx_, digest.data(), &length) != 1 ||
      length * 2 != kDeviceIdLength) {
    throw std::runtime_error("DeviceIdMaker: SHA-1 failed");
  }
  for (unsigned int i = 0; i < length; ++i) {
    id_[2 * i] = kHexDigits[digest[i] >> 4];
    id_[2 * i + 1] = kHexDigits[digest[i] & 0x0F];
  }
  return {id_.data(), id_.size()};
}

void count_device_ids(DeviceIdMaker& maker, std::uint64_t seed, std::uint64_t begin, std::uint64_t end,
                      DeviceIdCounts& counts) {
  for (std::uint64_t index = begin; index < end; ++index) {
    const std::string_view id = maker.make(seed, index);
    ++counts.by_first_hex[hex_value(id.front())];
    if (index < kFirstIdsKept) counts.first_ids.emplace_back(id);
  }
}

void merge_counts(DeviceIdCounts& into, const DeviceIdCounts& later_range) {
  for (std::size_t digit = 0; digit < into.by_first_hex.size(); ++digit) {
    into.by_first_hex[digit] += later_range.by_first_hex[digit];
  }
  into.first_ids.insert(into.first_ids.end(), later_range.first_ids.begin(), later_range.first_ids.end());
}

DeviceIdCounts device_ids_sequential(std::uint64_t seed, std::size_t m) {
  // One maker (one fetch, one context) and every index in one loop on the calling thread.
  DeviceIdCounts counts;
  DeviceIdMaker maker;
  count_device_ids(maker, seed, 0, m, counts);
  return counts;
}

}  // namespace parlab
