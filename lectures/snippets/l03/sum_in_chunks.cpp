// Lecture snippet (lecture 3): summing 8 Mi numbers on two threads, one chunk each, four ways.
// Each thread gets a copy of its chunk, or a view of it (std::span); each thread adds into a
// local variable, into its own slot of an array (the slots share a cache line: false sharing), or
// into a slot padded to a cache line of its own. Every way gives the same total; the costs differ.
#include <cstdint>
#include <cstdio>
#include <new>
#include <numeric>
#include <span>
#include <thread>
#include <vector>

#include "stopwatch.hpp"

constexpr std::size_t kCount = std::size_t{1} << 23;
constexpr unsigned kThreads = 2;

// Runs body(t, chunk) on kThreads threads, chunk t being the t-th contiguous slice of `values`.
template <typename Body>
void on_chunks(std::span<const std::uint64_t> values, Body body) {
  std::vector<std::jthread> threads;
  for (unsigned t = 0; t < kThreads; ++t) {
    const std::size_t begin = values.size() * t / kThreads, end = values.size() * (t + 1) / kThreads;
    threads.emplace_back(body, t, values.subspan(begin, end - begin));
  }
}

std::uint64_t one_thread(std::span<const std::uint64_t> values) {
  std::uint64_t total = 0;
  for (std::uint64_t v : values) total += v;
  return total;
}

std::uint64_t copied_chunks(std::span<const std::uint64_t> values) {
  std::vector<std::uint64_t> subtotals(kThreads);
  on_chunks(values, [&](unsigned t, std::span<const std::uint64_t> chunk) {
    const std::vector<std::uint64_t> copy(chunk.begin(), chunk.end());  // 32 MiB allocated and written
    subtotals[t] = std::accumulate(copy.begin(), copy.end(), std::uint64_t{0});
  });
  return std::accumulate(subtotals.begin(), subtotals.end(), std::uint64_t{0});
}

std::uint64_t viewed_chunks(std::span<const std::uint64_t> values) {
  std::vector<std::uint64_t> subtotals(kThreads);
  on_chunks(values, [&](unsigned t, std::span<const std::uint64_t> chunk) {
    std::uint64_t subtotal = 0;  // a local: in a register, no other core ever sees it
    for (std::uint64_t v : chunk) subtotal += v;
    subtotals[t] = subtotal;  // one write per thread
  });
  return std::accumulate(subtotals.begin(), subtotals.end(), std::uint64_t{0});
}

std::uint64_t adjacent_slots(std::span<const std::uint64_t> values) {
  std::vector<std::uint64_t> slots(kThreads);  // 8 bytes apart: both in one 64-byte cache line
  on_chunks(values, [&](unsigned t, std::span<const std::uint64_t> chunk) {
    for (std::uint64_t v : chunk) slots[t] += v;  // a store per number, to a line the other core wants too
  });
  return std::accumulate(slots.begin(), slots.end(), std::uint64_t{0});
}

// One slot per cache line: the alignment rounds sizeof(PaddedSlot) up to a whole line, so two
// slots never share one. The constant is 64 on x86-64.
struct alignas(std::hardware_destructive_interference_size) PaddedSlot {
  std::uint64_t value = 0;
};

std::uint64_t padded_slots(std::span<const std::uint64_t> values) {
  std::vector<PaddedSlot> slots(kThreads);
  on_chunks(values, [&](unsigned t, std::span<const std::uint64_t> chunk) {
    for (std::uint64_t v : chunk) slots[t].value += v;  // the same stores, each core to a line of its own
  });
  std::uint64_t total = 0;
  for (const PaddedSlot& slot : slots) total += slot.value;
  return total;
}

int main() {
  std::vector<std::uint64_t> values(kCount);
  std::iota(values.begin(), values.end(), 0);
  const std::uint64_t expected = kCount * (kCount - 1) / 2;
  std::printf("%zu numbers (%zu MiB), %u threads, %u cores online, slots padded to %zu bytes\n", kCount,
              kCount * sizeof(std::uint64_t) >> 20, kThreads, std::thread::hardware_concurrency(), sizeof(PaddedSlot));

  bool all_exact = true;
  auto run = [&](const char* label, auto sum) {
    double best = 1e9, busy = 0;  // best of 5: the differences are what matters here, not the noise
    for (int round = 0; round < 5; ++round) {
      const auto timed = l03::timed([&] { return sum(values); });
      all_exact = all_exact && timed.result == expected;
      if (timed.wall < best) best = timed.wall, busy = timed.cores_busy;
    }
    std::printf("%-16s best of 5: %.4f s wall, cores busy %.2f\n", label, best, busy);
  };
  run("one thread", one_thread);
  run("copied chunks", copied_chunks);
  run("viewed chunks", viewed_chunks);
  run("adjacent slots", adjacent_slots);
  run("padded slots", padded_slots);
  std::printf("%s\n", all_exact ? "every total exact" : "a total is wrong");
  return all_exact ? 0 : 1;
}
