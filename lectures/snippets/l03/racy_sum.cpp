// Lecture snippet (lecture 3): a race condition ON PURPOSE. Two threads add their halves of
// 0..n-1 into one shared total with no lock, and additions get lost. Each thread's own subtotal,
// added once at the end, is exact. ThreadSanitizer reports the race, so under
// -Db_sanitize=thread this test is registered as expected to fail (see lectures/meson.build).
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>

constexpr std::uint64_t kCount = 20'000'000;

std::uint64_t total = 0;  // shared by both threads, guarded by nothing

// Adds lo..hi-1 into the shared total, one number at a time: load, add, store, with the other
// thread doing the same to the same variable.
void add_range_to_total(std::uint64_t lo, std::uint64_t hi) {
  for (std::uint64_t i = lo; i < hi; ++i) {
    total = total + i;  // the race: both threads may load the same old value, and one store is lost
    std::atomic_signal_fence(std::memory_order_seq_cst);  // stops gcc from keeping total in a register
  }
}

std::uint64_t sum_range(std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t subtotal = 0;  // this thread's own: nobody else reads or writes it
  for (std::uint64_t i = lo; i < hi; ++i) subtotal += i;
  return subtotal;
}

int main() {
  const std::uint64_t expected = kCount * (kCount - 1) / 2;
  {
    std::jthread low(add_range_to_total, 0, kCount / 2);
    std::jthread high(add_range_to_total, kCount / 2, kCount);
  }
  std::uint64_t low_part = 0, high_part = 0;
  {
    std::jthread low([&] { low_part = sum_range(0, kCount / 2); });
    std::jthread high([&] { high_part = sum_range(kCount / 2, kCount); });
  }  // joined: both subtotals are written, and visible here
  const std::uint64_t exact = low_part + high_part;
  std::printf("expected        %llu\n", static_cast<unsigned long long>(expected));
  std::printf("shared total    %llu (%.1f%% of it lost)\n", static_cast<unsigned long long>(total),
              100.0 * static_cast<double>(expected - total) / static_cast<double>(expected));
  std::printf("two subtotals   %llu\n", static_cast<unsigned long long>(exact));
  return exact == expected ? 0 : 1;
}
