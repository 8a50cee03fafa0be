// Lecture snippet (lecture 4): the SHA-1 trap. OpenSSL 3 offers a one-call digest, EVP_Digest with
// EVP_sha1(), which looks up ("fetches") the SHA-1 implementation on every call, in a store shared by
// the whole process and guarded by locks. Fetching it once (EVP_MD_fetch) and reusing one EVP_MD_CTX
// per thread skips that. Both ways hash the same UUID-like strings, on 1 and on 2 threads (best of 3
// interleaved rounds), and count the digests by their first hex digit; the counts must agree. The argument
// sets how many strings (100,000 by default).
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "../l03/stopwatch.hpp"

using Text = std::array<char, 36>;             // the shape of a UUID: 8-4-4-4-12 hex digits
using Counts = std::array<std::uint64_t, 16>;  // digests by first hex digit

// Input that costs nothing to make: 32 hex digits from the index, hyphens where a UUID has them.
std::vector<Text> make_texts(std::size_t count) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::vector<Text> texts(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::uint64_t bits = i * 0x9e3779b97f4a7c15ULL;
    for (std::size_t pos = 0; pos < 36; ++pos) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
        texts[i][pos] = '-';
      } else {
        texts[i][pos] = kHex[(bits >> 60) & 0xF];
        bits = (bits << 4) | (bits >> 60);
      }
    }
  }
  return texts;
}

// The one-call form: short, and on OpenSSL 3 it fetches SHA-1 from the shared store every time.
void count_one_call(std::span<const Text> texts, Counts& counts) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  for (const Text& text : texts) {
    if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha1(), nullptr) != 1) {
      throw std::runtime_error("EVP_Digest");
    }
    ++counts[digest[0] >> 4];
  }
}

using Context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

// Fetched once, read by every thread after: an EVP_MD may be shared, an EVP_MD_CTX may not.
const EVP_MD* sha1() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA1", nullptr);  // C++ runs this once, thread-safely
  if (md == nullptr) throw std::runtime_error("OpenSSL has no SHA-1");
  return md;
}

// The same digests with this thread's own context, reset for each string instead of made anew.
void count_reused(std::span<const Text> texts, Counts& counts) {
  const Context context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  for (const Text& text : texts) {
    if (EVP_DigestInit_ex2(context.get(), sha1(), nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), text.data(), text.size()) != 1 ||
        EVP_DigestFinal_ex(context.get(), digest, &length) != 1) {
      throw std::runtime_error("EVP digest");
    }
    ++counts[digest[0] >> 4];
  }
}

// Runs `count` over `threads` contiguous chunks, each into counts of its own, then adds them up.
template <typename CountChunk>
Counts on_threads(std::span<const Text> texts, unsigned threads, CountChunk count) {
  std::vector<Counts> partial(threads, Counts{});
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      const std::size_t begin = texts.size() * t / threads, end = texts.size() * (t + 1) / threads;
      pool.emplace_back(
          [&partial, &count, texts, t, begin, end] { count(texts.subspan(begin, end - begin), partial[t]); });
    }
  }
  Counts total{};
  for (const Counts& counts : partial) {
    for (std::size_t digit = 0; digit < 16; ++digit) total[digit] += counts[digit];
  }
  return total;
}

// The first FIPS 180 test vector: SHA-1("abc").
bool reused_context_is_sha1() {
  const Context context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestInit_ex2(context.get(), sha1(), nullptr);
  EVP_DigestUpdate(context.get(), "abc", 3);
  EVP_DigestFinal_ex(context.get(), digest, &length);
  static constexpr unsigned char kExpected[] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                                                0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
  return length == sizeof kExpected && std::equal(kExpected, kExpected + length, digest);
}

int main(int argc, char** argv) {
  const std::size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  const std::vector<Text> texts = make_texts(count);
  std::printf("%zu strings of 36 characters, %u cores online\n", count, std::thread::hardware_concurrency());

  struct Way {
    const char* label;
    void (*count)(std::span<const Text>, Counts&);
    unsigned threads;
  };
  const std::vector<Way> ways = {{"EVP_Digest, EVP_sha1()", count_one_call, 1},
                                 {"EVP_Digest, EVP_sha1()", count_one_call, 2},
                                 {"fetched once, own context", count_reused, 1},
                                 {"fetched once, own context", count_reused, 2}};
  // Best of 3 rounds, the ways taking turns within each round, so that a burst of other users' work
  // on the machine slows every way alike rather than one way all three times.
  std::vector<l03::Timed<Counts>> best(ways.size());
  for (int round = 0; round < 3; ++round) {
    for (std::size_t w = 0; w < ways.size(); ++w) {
      auto run = l03::timed([&] { return on_threads(texts, ways[w].threads, ways[w].count); });
      if (round == 0 || run.wall < best[w].wall) best[w] = std::move(run);
    }
  }
  std::vector<Counts> results;
  for (std::size_t w = 0; w < ways.size(); ++w) {
    std::printf("%-26s %u thread%s %7.3f s, %5.0f ns per string, cores busy %.2f\n", ways[w].label, ways[w].threads,
                ways[w].threads == 1 ? ": " : "s:", best[w].wall, best[w].wall / static_cast<double>(count) * 1e9,
                best[w].cores_busy);
    results.push_back(best[w].result);
  }
  bool ok = reused_context_is_sha1();  // and every way counted every string, the same way
  for (const Counts& counts : results) {
    ok = ok && counts == results.front() && std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}) == count;
  }
  std::printf("%s\n", ok ? "the same counts by first hex digit all four ways" : "the ways disagree");
  return ok ? 0 : 1;
}
