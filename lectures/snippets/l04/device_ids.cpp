// Lecture snippet (lecture 4): the Python lecture's device IDs. An ID is a random (version 4) UUID
// written as text and hashed with SHA-1 into 40 hex digits; the aggregation counts the IDs by their
// first character. Timed at the Python lecture's sizes (12, 1,200 and 120,000 by default; give sizes
// as arguments, e.g. 12 1200 120000 12000000): making the IDs (generate + hash) on 1 thread and on
// every core, then counting them by first character on one thread, over the IDs in memory. Each
// time is the best of 3 rounds.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "../l03/stopwatch.hpp"
#include "digest.hpp"

using Clock = std::chrono::steady_clock;
using Uuid = std::array<char, 36>;             // 8-4-4-4-12 hex digits
using DeviceId = std::array<char, 40>;         // SHA-1 of the UUID's text, in hex: Python's hexdigest()
using Counts = std::array<std::uint64_t, 16>;  // IDs by first character, '0' to 'f'

constexpr std::size_t kBlockSize = 4096;  // block b's UUIDs come from generator (seed, b), whoever makes them
constexpr std::uint32_t kSeed = 2021;
constexpr char kHex[] = "0123456789abcdef";

// A version 4 UUID from 128 random bits: the 13th hex digit is set to 4 (the version), the top two
// bits of the 17th to 10 (the variant), as Python's uuid4() does.
Uuid random_uuid(std::mt19937_64& rng) {
  const std::uint64_t high = (rng() & ~0xF000ULL) | 0x4000ULL;
  const std::uint64_t low = (rng() & ~(3ULL << 62)) | (2ULL << 62);
  Uuid text;
  std::size_t pos = 0;
  for (int digit = 0; digit < 32; ++digit) {
    if (digit == 8 || digit == 12 || digit == 16 || digit == 20) text[pos++] = '-';
    const std::uint64_t half = digit < 16 ? high : low;
    text[pos++] = kHex[(half >> (60 - 4 * (digit % 16))) & 0xF];
  }
  return text;
}

// SHA-1 with the algorithm fetched once and a context of this object's own (see sha1_contexts.cpp):
// one per thread.
class Sha1 {
 public:
  Sha1() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!context_ || algorithm() == nullptr) throw std::runtime_error("no SHA-1");
  }

  DeviceId hex(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestInit_ex2(context_.get(), algorithm(), nullptr) != 1 ||
        EVP_DigestUpdate(context_.get(), text.data(), text.size()) != 1 ||
        EVP_DigestFinal_ex(context_.get(), digest, &length) != 1 || length != 20) {
      throw std::runtime_error("SHA-1 failed");
    }
    DeviceId id;
    for (std::size_t i = 0; i < 20; ++i) {
      id[2 * i] = kHex[digest[i] >> 4];
      id[2 * i + 1] = kHex[digest[i] & 0xF];
    }
    return id;
  }

 private:
  static const EVP_MD* algorithm() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    return md;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

// The map: makes ids[i] for every i of the block, from the block's own generator.
void make_block(std::size_t block, std::span<DeviceId> ids, Sha1& sha1) {
  std::seed_seq seeds{kSeed, static_cast<std::uint32_t>(block)};
  std::mt19937_64 rng(seeds);
  const std::size_t begin = block * kBlockSize, end = std::min(begin + kBlockSize, ids.size());
  for (std::size_t i = begin; i < end; ++i) {
    const Uuid uuid = random_uuid(rng);
    ids[i] = sha1.hex({uuid.data(), uuid.size()});
  }
}

std::vector<DeviceId> make_ids(std::size_t count, unsigned workers) {
  std::vector<DeviceId> ids(count);
  const std::size_t blocks = (count + kBlockSize - 1) / kBlockSize;
  std::atomic<std::size_t> next{0};  // the next block nobody has taken yet
  {
    std::vector<std::jthread> pool;
    for (unsigned w = 0; w < workers; ++w) {
      pool.emplace_back([&ids, &next, blocks] {
        Sha1 sha1;  // this thread's own context
        for (std::size_t block = next++; block < blocks; block = next++) make_block(block, ids, sha1);
      });
    }
  }  // joined: every block is written, each by one thread
  return ids;
}

// The aggregation: how many IDs start with each hex digit.
Counts count_by_first_character(std::span<const DeviceId> ids) {
  Counts counts{};
  for (const DeviceId& id : ids) ++counts[id[0] <= '9' ? id[0] - '0' : id[0] - 'a' + 10];
  return counts;
}

template <typename Work>
double seconds_of(Work work) {
  const Clock::time_point t0 = Clock::now();
  work();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes = {12, 1200, 120000};
  if (argc > 1) sizes.clear();
  for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoull(argv[i], nullptr, 10));
  const unsigned cores = std::max(2u, std::thread::hardware_concurrency());

  // The first UUID of block 0, and its ID by another SHA-1 (the kit's), to check ours.
  std::seed_seq seeds{kSeed, 0u};
  std::mt19937_64 rng(seeds);
  const Uuid first = random_uuid(rng);
  const std::string expected = parlab::sha1_hex({first.data(), first.size()});
  std::printf("uuid %.36s -> device id %s\n", first.data(), expected.c_str());
  bool ok = first[14] == '4' && std::string_view("89ab").find(first[19]) != std::string_view::npos;

  const std::string many_label = "make, " + std::to_string(cores) + " threads, cores busy";
  std::printf("%10s  %-22s %-27s  %s\n", "IDs", "make, 1 thread", many_label.c_str(), "count by first character");
  for (std::size_t size : sizes) {
    double one = 1e9, many = 1e9, many_busy = 0, count = 1e9;  // best of 3 rounds, the steps taking turns
    for (int round = 0; round < 3; ++round) {
      std::vector<DeviceId> ids, again;
      Counts counts{};
      one = std::min(one, seconds_of([&] { ids = make_ids(size, 1); }));
      auto run = l03::timed([&] { return make_ids(size, cores); });
      if (run.wall < many) {
        many = run.wall;
        many_busy = run.cores_busy;  // how much of the machine the threads got, in the best round
      }
      again = std::move(run.result);
      count = std::min(count, seconds_of([&] { counts = count_by_first_character(ids); }));
      ok = ok && again == ids;  // the same IDs, on more threads
      ok = ok && std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}) == size;
      if (size > 0) ok = ok && std::string_view(ids[0].data(), ids[0].size()) == expected;
    }
    std::printf("%10zu  %10.6f s %6.0f ns  %10.6f s %6.0f ns %4.2f  %10.6f s %5.1f ns\n", size, one,
                one / static_cast<double>(size) * 1e9, many, many / static_cast<double>(size) * 1e9, many_busy, count,
                count / static_cast<double>(size) * 1e9);
  }
  std::printf("%s\n", ok ? "the same IDs on 1 thread and on more, each one counted, the first one checked"
                         : "something went wrong");
  return ok ? 0 : 1;
}
