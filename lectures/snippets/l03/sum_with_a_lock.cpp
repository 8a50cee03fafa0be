// Lecture snippet (lecture 3): a shared total made safe three ways. Summing 10 million numbers
// on one thread; on two threads that take a mutex for every addition (the Python lecture's
// threaded sum); on two threads that add with an atomic read-modify-write; and on two threads
// that keep a subtotal each and take the mutex once at the end.
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <numeric>
#include <span>
#include <thread>
#include <vector>

#include "stopwatch.hpp"

constexpr std::size_t kCount = 10'000'000;
constexpr unsigned kThreads = 2;

// Runs body(part) on kThreads threads, part t being the t-th contiguous slice of `values`.
template <typename Body>
void on_threads(std::span<const std::uint64_t> values, Body body) {
  std::vector<std::jthread> threads;
  for (unsigned t = 0; t < kThreads; ++t) {
    const std::size_t begin = values.size() * t / kThreads, end = values.size() * (t + 1) / kThreads;
    threads.emplace_back(body, values.subspan(begin, end - begin));
  }
}

std::uint64_t one_thread(std::span<const std::uint64_t> values) {
  std::uint64_t total = 0;
  for (std::uint64_t v : values) total += v;
  return total;
}

std::uint64_t lock_per_addition(std::span<const std::uint64_t> values) {
  std::uint64_t total = 0;
  std::mutex mutex;  // guards total
  on_threads(values, [&](std::span<const std::uint64_t> part) {
    for (std::uint64_t v : part) {
      std::scoped_lock lock(mutex);  // taken and released ten million times, by two threads in turn
      total += v;
    }
  });
  return total;
}

std::uint64_t atomic_per_addition(std::span<const std::uint64_t> values) {
  std::atomic<std::uint64_t> total{0};
  on_threads(values, [&](std::span<const std::uint64_t> part) {
    for (std::uint64_t v : part) total.fetch_add(v, std::memory_order_relaxed);  // only the sum matters
  });
  return total.load();
}

std::uint64_t subtotal_then_lock(std::span<const std::uint64_t> values) {
  std::uint64_t total = 0;
  std::mutex mutex;  // guards total
  on_threads(values, [&](std::span<const std::uint64_t> part) {
    std::uint64_t subtotal = 0;  // this thread's own: no lock needed
    for (std::uint64_t v : part) subtotal += v;
    std::scoped_lock lock(mutex);  // once per thread
    total += subtotal;
  });
  return total;
}

int main() {
  std::vector<std::uint64_t> values(kCount);
  std::iota(values.begin(), values.end(), 0);
  const std::uint64_t expected = kCount * (kCount - 1) / 2;
  std::printf("%zu numbers, %u threads, %u cores online\n", kCount, kThreads, std::thread::hardware_concurrency());

  bool all_exact = true;
  auto run = [&](const char* label, auto sum) {
    const auto timed = l03::timed([&] { return sum(values); });
    std::printf("%-22s %.3f s wall, cores busy %.2f, %5.1f ns per number\n", label, timed.wall, timed.cores_busy,
                timed.wall * 1e9 / kCount);
    all_exact = all_exact && timed.result == expected;
  };
  run("one thread", one_thread);
  run("lock per addition", lock_per_addition);
  run("atomic per addition", atomic_per_addition);
  run("subtotal, then lock", subtotal_then_lock);
  std::printf("%s\n", all_exact ? "every total exact" : "a total is wrong");
  return all_exact ? 0 : 1;
}
