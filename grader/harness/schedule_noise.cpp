// Harness: schedule noise (see schedule_noise.hpp). The seam is the global operator new, which
// this file replaces in every test binary; under ThreadSanitizer, which has its own, it does not.
#include "schedule_noise.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <thread>

namespace {

std::atomic<bool> noisy{false};
std::uint64_t base_seed = 0;
std::atomic<unsigned> threads_seen{0};
// All sleeps together stay under a second per process (counted as asked; the kernel's timer
// slack adds up to 50 us to each), so an allocation-heavy test still ends inside its timeout.
std::atomic<long> sleep_budget_us{1'000'000};

// splitmix64: a good 64-bit draw from a counter, with no allocation and no lock.
std::uint64_t draw(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// One allocation in 32 steps off the core for a moment: a short sleep, so that the other threads
// run through the code right there, and this one is back within tens of microseconds. (Not
// sched_yield: beside busy threads it gives away a whole time slice, milliseconds, and a test
// that watches from a thread of its own, allocating as it looks, would hardly ever look.)
void perturb() {
  thread_local std::uint64_t state = 0;
  if (state == 0) state = base_seed ^ (0xD1B54A32D192ED03ull * (threads_seen.fetch_add(1) + 1));
  const std::uint64_t d = draw(state);
  if ((d & 31) != 0) return;
  const long us = 1 + static_cast<long>((d >> 32) % 50);
  if (sleep_budget_us.fetch_sub(us, std::memory_order_relaxed) > us) {
    std::this_thread::sleep_for(std::chrono::microseconds(us));
  }
}

}  // namespace

namespace parlab::testing {

void start_schedule_noise_from_environment() {
  const char* text = std::getenv("PARLAB_SCHEDULE_NOISE");
  if (text == nullptr || *text == '\0') return;
  char* end = nullptr;
  errno = 0;
  const unsigned long long seed = std::strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0') {
    std::fprintf(stderr, "PARLAB_SCHEDULE_NOISE=%s is not a seed (a whole number); no noise\n", text);
    return;
  }
  base_seed = seed == 0 ? 1 : seed;
  noisy.store(true);
  std::fprintf(stderr, "schedule noise: seed %llu\n", seed);
}

}  // namespace parlab::testing

#if !defined(__SANITIZE_THREAD__)
// The replaceable allocation function ([new.delete.single]); the library's operator delete,
// which calls free, matches it, and every other form of new (arrays, nothrow) calls this one.
void* operator new(std::size_t size) {
  if (noisy.load(std::memory_order_relaxed)) perturb();
  if (size == 0) size = 1;
  for (;;) {
    if (void* memory = std::malloc(size)) return memory;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}
#endif
