// Lecture snippet (lecture 2): memory-bound work. The same number of dependent loads, first in an
// array that fits in the core's own cache, then in one far bigger than the caches: the instructions
// are the same, the time is not, and "cores busy" reads 1.00 both times.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <utility>
#include <vector>

#include "../l01/cpu_time.hpp"

constexpr std::size_t kSteps = std::size_t{1} << 22;  // loads per walk: 4 Mi

// next[i] is the slot to visit after slot i. Sattolo's shuffle makes the whole array one cycle,
// so a walk visits every slot once per lap, in an order no prefetcher can guess.
std::vector<std::uint32_t> one_random_cycle(std::size_t slots) {
  std::vector<std::uint32_t> next(slots);
  for (std::size_t i = 0; i < slots; ++i) next[i] = static_cast<std::uint32_t>(i);
  std::mt19937_64 rng(2);
  for (std::size_t i = slots - 1; i > 0; --i) std::swap(next[i], next[rng() % i]);
  return next;
}

struct Walk {
  std::uint32_t end = 0;  // the slot the walk stopped at
  std::uint64_t sum = 0;  // of every slot visited: uses each load, so none can be skipped
};

// Each load needs the one before it: the core cannot start the next until this one arrives.
Walk walk(const std::vector<std::uint32_t>& next, std::size_t steps) {
  Walk w;
  for (std::size_t s = 0; s < steps; ++s) {
    w.end = next[w.end];
    w.sum += w.end;
  }
  return w;
}

bool timed_walk(const char* label, std::size_t bytes) {
  const std::size_t slots = bytes / sizeof(std::uint32_t);
  const std::vector<std::uint32_t> next = one_random_cycle(slots);
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  const Walk w = walk(next, kSteps);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%-6s array %8zu KiB: %.3f s, %5.1f ns per load, cores busy %.2f\n", label, bytes >> 10, wall,
              wall / kSteps * 1e9, (cpu_seconds() - cpu0) / wall);
  // kSteps is a whole number of laps, and every lap visits each slot once.
  const std::uint64_t laps = kSteps / slots;
  return w.end == 0 && w.sum == laps * slots * (slots - 1) / 2;
}

int main() {
  const bool small_ok = timed_walk("small", std::size_t{16} << 10);  // 16 KiB: in the core's L1 cache
  const bool large_ok = timed_walk("large", std::size_t{16} << 20);  // 16 MiB: 4 Mi slots, one lap
  const bool ok = small_ok && large_ok;
  std::printf("%s\n", ok ? "both walks visited every slot once per lap" : "a walk missed slots");
  return ok ? 0 : 1;
}
