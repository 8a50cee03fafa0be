// Given, do not modify: the API of exercise 4.2, device_ids, and its concurrency contract.
//
// Make M device IDs and count them by their first hex digit. The ID of index i is the SHA-1 hex
// digest of a version-4 UUID drawn from a small generator seeded from (seed, i): a pure function
// of (seed, i), so the indices can be cut into ranges anywhere, each range counted on its own
// thread (or on its own MPI rank, exercise 4.3 reuses this header), and the counts added up.
// Every ID costs a few hundred nanoseconds of hashing on the core that makes it, and nothing
// waits: only more cores make it faster, provided the threads share no lock while they hash.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// OpenSSL's own type names (openssl/types.h), declared here so that this header does not pull in
// OpenSSL's headers: EVP_MD is a hash algorithm, EVP_MD_CTX one digest in progress.
struct evp_md_st;
struct evp_md_ctx_st;

namespace parlab {

// How many IDs a result keeps verbatim: those of indices 0 .. kFirstIdsKept - 1.
inline constexpr std::size_t kFirstIdsKept = 5;
// A UUID's text, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" (y is 8, 9, a or b): 36 characters.
inline constexpr std::size_t kUuidLength = 36;
// A device ID: a SHA-1 digest (20 bytes) as lowercase hex, 40 characters.
inline constexpr std::size_t kDeviceIdLength = 40;

// The result of counting the IDs of some range of indices.
struct DeviceIdCounts {
  std::array<std::uint64_t, 16> by_first_hex{};  // [d]: how many IDs start with hex digit d (0-9, a-f)
  std::vector<std::string> first_ids;            // IDs of indices 0 .. min(M, kFirstIdsKept)-1, in order
  bool operator==(const DeviceIdCounts&) const = default;
};

// The UUID of index `index` under `seed`, as text: 16 bytes from a splitmix64 generator seeded from
// (seed, index), with the version nibble set to 4 and the variant bits to 10 (RFC 4122), formatted
// lowercase as 8-4-4-4-12 hex digits. Pure function: thread-safe, never throws but std::bad_alloc.
std::string device_uuid(std::uint64_t seed, std::uint64_t index);

// Makes device IDs: SHA-1 of device_uuid(seed, index), as 40 lowercase hex characters.
//
// The constructor fetches SHA-1 once (EVP_MD_fetch) and makes one EVP_MD_CTX; every make() reuses
// both. That is the efficient way with OpenSSL 3: its one-call form, EVP_Digest(..., EVP_sha1()),
// looks the algorithm up on every call under a process-wide lock, so threads hashing that way
// take turns and gain nothing (see the lecture 4 notes). Construct one maker per thread, not one
// per ID: the constructor takes that lock too.
//
// Not thread-safe: a maker holds one digest in progress, so each thread needs its own. Distinct
// makers may be used by distinct threads at once. Not copyable; movable.
class DeviceIdMaker {
 public:
  // Throws std::runtime_error when OpenSSL has no SHA-1 or cannot allocate a context.
  DeviceIdMaker();
  ~DeviceIdMaker();
  DeviceIdMaker(const DeviceIdMaker&) = delete;
  DeviceIdMaker& operator=(const DeviceIdMaker&) = delete;
  DeviceIdMaker(DeviceIdMaker&& other) noexcept;
  DeviceIdMaker& operator=(DeviceIdMaker&& other) noexcept;

  // The ID of index `index` under `seed`. The view points into this maker's own buffer: it is valid
  // until the next make() on this maker (copy it to keep it). Throws std::runtime_error if OpenSSL
  // reports a failure (it does not for SHA-1 in practice).
  std::string_view make(std::uint64_t seed, std::uint64_t index);

 private:
  evp_md_st* md_ = nullptr;                 // SHA-1, fetched once by the constructor, freed by the destructor
  evp_md_ctx_st* ctx_ = nullptr;            // reinitialized for every ID, never reallocated
  std::array<char, kDeviceIdLength> id_{};  // the last ID made, what make() returns a view of
};

// Counts the IDs of indices [begin, end) into `counts`: adds 1 to by_first_hex[first digit] for each,
// and appends to first_ids, in index order, the IDs of those indices below kFirstIdsKept. Adds to
// what `counts` already holds (it does not clear it). Nothing for begin >= end.
// Thread-safety: as the maker's, and `counts` must not be touched by another thread meanwhile.
void count_device_ids(DeviceIdMaker& maker, std::uint64_t seed, std::uint64_t begin, std::uint64_t end,
                      DeviceIdCounts& counts);

// The reduce step: adds later_range's counts to `into`, digit by digit, and appends its first_ids
// after into's. Counts add in any order; the first_ids come out in index order only when
// later_range covers indices after those of `into` (merge ranges in index order, or collect the
// first IDs some other way). Pure with respect to later_range; `into` must not be shared meanwhile.
void merge_counts(DeviceIdCounts& into, const DeviceIdCounts& later_range);

// The baseline: one maker, indices 0 .. m-1 in one loop on the calling thread, one core busy.
// m = 0 gives all-zero counts and no first IDs. Thread-safe: it shares nothing between calls.
// Throws what the maker throws.
DeviceIdCounts device_ids_sequential(std::uint64_t seed, std::size_t m);

// The same counts, made by up to `workers` threads at once (the student's version).
//
// Returns exactly device_ids_sequential(seed, m) for every m (0 included) and any number of workers:
// more workers than IDs leaves the extra ones idle (or unstarted). Blocks until the counts are
// complete and every thread it started has been joined; no thread outlives the call.
// Throws std::invalid_argument when `workers` is 0, std::system_error when a thread cannot be
// started, and what the maker throws. Thread-safe: several threads may call it at once.
DeviceIdCounts device_ids(std::uint64_t seed, std::size_t m, unsigned workers);

}  // namespace parlab
