// Lecture snippet (lecture 4): map and reduce with the standard library, over 4 Mi numbers. The map
// is a mixing function (~2 ns a number, which no compiler folds away), the reduce a sum mod 2^64.
// Four ways: a map into a second array, then a reduce; std::transform_reduce, which fuses the two;
// the same with std::execution::par; and the same on std::jthreads, one chunk each. Each way counts
// the threads that ran its map: with gcc 12's libstdc++, par only uses threads when Intel's TBB is
// installed, and parlab does not install it.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <execution>
#include <functional>
#include <numeric>
#include <span>
#include <thread>
#include <vector>

#include "../l03/stopwatch.hpp"

constexpr std::size_t kCount = std::size_t{1} << 22;

#if defined(_PSTL_PAR_BACKEND_TBB)
constexpr const char* kBackend = "TBB: std::execution::par runs on a pool of threads";
#else
constexpr const char* kBackend = "serial (no <tbb/tbb.h> at compile time): std::execution::par runs on the caller";
#endif

std::atomic<unsigned> run_number{0};      // which way is running now
std::atomic<unsigned> threads_in_run{0};  // the distinct threads that have called the map in this run

// Adds the calling thread to threads_in_run the first time it maps a number in this run.
void count_this_thread() {
  thread_local unsigned counted_in = 0;  // the run this thread last counted itself in
  const unsigned run = run_number.load(std::memory_order_relaxed);
  if (counted_in != run) {
    counted_in = run;
    threads_in_run.fetch_add(1, std::memory_order_relaxed);  // a tally, read after every thread is done
  }
}

// The map: a murmur3-style finalizer. Its sum mod 2^64 is the same for any grouping of the numbers.
std::uint64_t mix(std::uint64_t x) {
  count_this_thread();
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

std::uint64_t map_then_reduce(std::span<const std::uint64_t> values) {
  std::vector<std::uint64_t> mapped(values.size());  // a second array, written, then read again
  std::transform(values.begin(), values.end(), mapped.begin(), mix);
  return std::reduce(mapped.begin(), mapped.end(), std::uint64_t{0});
}

std::uint64_t fused(std::span<const std::uint64_t> values) {
  return std::transform_reduce(values.begin(), values.end(), std::uint64_t{0}, std::plus<>{}, mix);
}

std::uint64_t fused_par(std::span<const std::uint64_t> values) {
  return std::transform_reduce(std::execution::par, values.begin(), values.end(), std::uint64_t{0}, std::plus<>{}, mix);
}

// The map and the first reduce on each thread's own chunk, then a reduce of the partial sums.
std::uint64_t on_threads(std::span<const std::uint64_t> values, unsigned workers) {
  std::vector<std::uint64_t> partial(workers);
  {
    std::vector<std::jthread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      const std::size_t begin = values.size() * w / workers, end = values.size() * (w + 1) / workers;
      threads.emplace_back([&partial, chunk = values.subspan(begin, end - begin), w] {
        partial[w] = std::transform_reduce(chunk.begin(), chunk.end(), std::uint64_t{0}, std::plus<>{}, mix);
      });
    }
  }  // joined: every partial sum is written
  return std::reduce(partial.begin(), partial.end(), std::uint64_t{0});
}

template <typename Way>
std::uint64_t report(const char* label, Way way) {
  double best = 1e9, busy = 0;
  std::uint64_t sum = 0;
  unsigned threads = 0;
  for (int round = 0; round < 5; ++round) {
    threads_in_run.store(0);
    run_number.fetch_add(1);  // before any work is handed out, which orders it before the threads' reads
    const auto run = l03::timed(way);
    if (run.wall < best) {
      best = run.wall;
      busy = run.cores_busy;
    }
    sum = run.result;
    threads = threads_in_run.load();
  }
  std::printf("%-26s best of 5: %.4f s wall, cores busy %.2f, map ran on %u thread%s\n", label, best, busy, threads,
              threads == 1 ? "" : "s");
  return sum;
}

int main() {
  std::vector<std::uint64_t> values(kCount);
  std::iota(values.begin(), values.end(), std::uint64_t{0});
  const unsigned workers = std::max(2u, std::thread::hardware_concurrency());
  std::printf("%zu numbers, %u cores online; parallel algorithms backend: %s\n", kCount,
              std::thread::hardware_concurrency(), kBackend);

  const std::uint64_t a = report("transform, then reduce", [&] { return map_then_reduce(values); });
  const std::uint64_t b = report("transform_reduce", [&] { return fused(values); });
  const std::uint64_t c = report("transform_reduce, par", [&] { return fused_par(values); });
  const std::uint64_t d = report("jthreads, a chunk each", [&] { return on_threads(values, workers); });
  const bool ok = a == b && b == c && c == d && threads_in_run.load() == workers;
  std::printf("%s\n", ok ? "the same sum every way" : "the ways disagree");
  return ok ? 0 : 1;
}
