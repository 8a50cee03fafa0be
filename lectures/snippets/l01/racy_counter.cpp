// Lecture snippet (lecture 1): a data race ON PURPOSE. Two threads increment one plain counter;
// updates get lost. The atomic counter beside it is exact. ThreadSanitizer reports the race, so
// under -Db_sanitize=thread this test is registered as expected to fail (see lectures/meson.build).
#include <atomic>
#include <cstdio>
#include <thread>

constexpr long kPerThread = 1'000'000;

long plain = 0;              // shared and unprotected: two threads do load, add, store at once
std::atomic<long> exact{0};  // shared, with an indivisible read-modify-write

void count() {
  for (long i = 0; i < kPerThread; ++i) {
    ++plain;                                        // the race
    exact.fetch_add(1, std::memory_order_relaxed);  // no race: only the total matters, no ordering
  }
}

int main() {
  {
    std::jthread a(count);
    std::jthread b(count);
  }
  std::printf("expected %ld\nplain counter  %ld (lost %ld updates)\natomic counter %ld\n", 2 * kPerThread, plain,
              2 * kPerThread - plain, exact.load());
  return exact.load() == 2 * kPerThread ? 0 : 1;
}
