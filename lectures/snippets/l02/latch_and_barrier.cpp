// Lecture snippet (lecture 2): std::latch and std::barrier. Heat spreading along a ring of cells,
// step by step: each thread updates its own half of the ring, a barrier holds everyone at the end
// of a step until all are done with it, and a latch releases all threads at once at the start.
#include <barrier>
#include <chrono>
#include <cstdio>
#include <latch>
#include <thread>
#include <utility>
#include <vector>

#include "../l01/cpu_time.hpp"

constexpr std::size_t kCells = 100'000;
constexpr int kSteps = 200;

// One step for cells [begin, end): each cell moves halfway toward the mean of its two neighbours.
void step_range(const std::vector<double>& now, std::vector<double>& next, std::size_t begin, std::size_t end) {
  const std::size_t n = now.size();
  for (std::size_t i = begin; i < end; ++i) next[i] = 0.5 * now[i] + 0.25 * (now[(i + n - 1) % n] + now[(i + 1) % n]);
}

std::vector<double> spread_sequential(std::vector<double> now) {
  std::vector<double> next(now.size());
  for (int s = 0; s < kSteps; ++s) {
    step_range(now, next, 0, now.size());
    std::swap(now, next);
  }
  return now;
}

std::vector<double> spread_threads(std::vector<double> now, unsigned threads) {
  std::vector<double> next(now.size());
  std::latch go(1);  // a one-shot event: count_down() is Python's Event.set(), wait() its wait()
  // The completion step runs once per step, on one thread, after all have arrived and before any
  // leaves: the one moment when swapping the buffers cannot disturb anybody.
  std::barrier step_done(threads, [&now, &next]() noexcept { std::swap(now, next); });
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        const std::size_t begin = now.size() * t / threads, end = now.size() * (t + 1) / threads;
        go.wait();
        for (int s = 0; s < kSteps; ++s) {
          step_range(now, next, begin, end);  // reads neighbours' cells of `now`, writes only its own
          step_done.arrive_and_wait();        // nobody starts step s+1 before everyone finished step s
        }
      });
    }
    go.count_down();  // every thread is created: release them together
  }
  return now;
}

template <typename F>
std::vector<double> timed(const char* label, F run) {
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<double> cells = run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%-10s %d steps in %.3f s, cores busy %.2f\n", label, kSteps, wall, (cpu_seconds() - cpu0) / wall);
  return cells;
}

int main() {
  std::vector<double> start(kCells, 0.0);
  start[0] = 1000.0;  // all the heat in one cell
  const std::vector<double> one = timed("sequential", [&] { return spread_sequential(start); });
  const std::vector<double> two = timed("2 threads", [&] { return spread_threads(start, 2); });
  const bool ok = one == two;  // the same arithmetic on every cell, so the same bits
  std::printf("%s; cell 1 now holds %.6f\n", ok ? "the same ring both ways" : "the rings differ", two[1]);
  return ok ? 0 : 1;
}
