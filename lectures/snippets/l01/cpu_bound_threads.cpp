// Lecture snippet (lecture 1): CPU-bound work on threads. The lecture's 20 sums of squares, one
// after another, then on one thread per core, then on twice as many threads; all give the same
// sums, and the CPU time over the wall time ("cores busy") shows the threads ran at once.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "cpu_time.hpp"

// Sum of i*i for i in [0, n). Unsigned arithmetic wraps, so this is the sum modulo 2^64
// (Python's integers would keep all 66 bits); the work is the same.
std::uint64_t sum_of_squares(std::uint64_t n) {
  std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < n; ++i) sum += i * i;
  return sum;
}

std::vector<std::uint64_t> find_sums_sequential(const std::vector<std::uint64_t>& numbers) {
  std::vector<std::uint64_t> sums;
  for (std::uint64_t n : numbers) sums.push_back(sum_of_squares(n));
  return sums;
}

// Thread t takes numbers t, t + threads, t + 2*threads, ...: the sums cost about the same,
// so a fixed deal is as good as any. Each thread writes only its own slots of `sums`.
std::vector<std::uint64_t> find_sums_threads(const std::vector<std::uint64_t>& numbers, unsigned threads) {
  std::vector<std::uint64_t> sums(numbers.size());
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (std::size_t i = t; i < numbers.size(); i += threads) sums[i] = sum_of_squares(numbers[i]);
      });
    }
  }  // joined: every slot is written
  return sums;
}

// Runs `run` kRounds times and reports the fastest round: on a shared machine, the one least
// disturbed by other programs. Returns the last round's result.
template <typename F>
auto best_of(const char* label, F run) {
  constexpr int kRounds = 5;
  decltype(run()) result;
  double best_wall = 0, best_busy = 0;
  for (int round = 0; round < kRounds; ++round) {
    const double cpu0 = cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    result = run();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (round == 0 || wall < best_wall) {
      best_wall = wall;
      best_busy = (cpu_seconds() - cpu0) / wall;
    }
  }
  std::printf("%-12s best of %d: %.3f s wall, cores busy %.2f\n", label, kRounds, best_wall, best_busy);
  return result;
}

int main() {
  std::vector<std::uint64_t> numbers;
  for (std::uint64_t x = 0; x < 20; ++x) numbers.push_back(5'000'000 + x);
  const unsigned cores = std::thread::hardware_concurrency();

  const auto one = best_of("sequential", [&] { return find_sums_sequential(numbers); });
  bool ok = sum_of_squares(4) == 0 + 1 + 4 + 9;
  for (unsigned threads : {cores, 2 * cores}) {  // one thread per core, then twice as many
    char label[32];
    std::snprintf(label, sizeof label, "%u threads", threads);
    ok = ok && best_of(label, [&] { return find_sums_threads(numbers, threads); }) == one;
  }
  std::printf("%s\n", ok ? "same 20 sums both ways" : "the sums differ");
  return ok ? 0 : 1;
}
