// Lecture snippet (lecture 5): the break-even point of a second worker. One task of n mixing steps,
// four ways: inline; all of it on a new thread; half on a new thread while this thread does the
// other half; half in a new process (a copy of this program) while this thread does the other
// half. For n from 1,024 to 16 million, the fastest time of each way, and the size from which
// splitting wins: where the work saved first exceeds the fixed cost of starting the worker.
#include <sched.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "../l01/child_process.hpp"
#include "lawn.hpp"
#include "machine.hpp"

using Clock = std::chrono::steady_clock;

std::uint64_t run_inline(std::uint64_t n) { return l05::mow(0, n); }

// All of the work on a new thread, this one waiting: the fixed cost alone, with nothing to gain.
std::uint64_t run_on_new_thread(std::uint64_t n) {
  std::uint64_t sum = 0;
  std::thread worker([&sum, n] { sum = l05::mow(0, n); });
  worker.join();
  return sum;
}

// Where and when the new thread of each split began. It saves time only if it starts at once, on
// the other CPU; the scheduler puts it wherever it sees room. Written by the main thread only.
struct StartLog {
  std::vector<double> delays_us;  // from creating the thread to its first instruction
  int on_other_cpu = 0;
} start_log;

std::uint64_t split_with_thread(std::uint64_t n) {
  std::uint64_t upper = 0;
  Clock::time_point began;
  int worker_cpu = -1;
  const Clock::time_point created = Clock::now();
  std::thread worker([&] {
    began = Clock::now();
    worker_cpu = sched_getcpu();
    upper = l05::mow(n / 2, n);  // the second half, over there
  });
  const int my_cpu = sched_getcpu();
  const std::uint64_t lower = l05::mow(0, n / 2);  // the first half, here, meanwhile
  worker.join();                                   // after this, `upper`, `began`, `worker_cpu` are written
  start_log.delays_us.push_back(std::chrono::duration<double, std::micro>(began - created).count());
  start_log.on_other_cpu += worker_cpu != my_cpu;
  return lower + upper;
}

std::uint64_t split_with_process(std::uint64_t n) {
  const l01::Child child = l01::spawn_self({"half", std::to_string(n / 2), std::to_string(n)});
  close(child.to_child);                                       // it needs no input: its range is in its argv
  const std::uint64_t lower = l05::mow(0, n / 2);              // the first half, here, meanwhile
  const std::string answer = l01::read_all(child.from_child);  // one number, then end-of-file
  close(child.from_child);
  const int status = l01::wait_for(child.pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("the child failed");
  return lower + std::stoull(answer);
}

constexpr std::array<const char*, 4> kWays = {"inline", "new thread", "split: thread", "split: process"};
using Way = std::uint64_t (*)(std::uint64_t);
constexpr std::array<Way, 4> kRun = {run_inline, run_on_new_thread, split_with_thread, split_with_process};

struct Row {
  std::uint64_t n = 0;
  std::array<double, 4> micros{};  // the fastest time of each way
  bool same_sums = true;
};

// Each round runs the four ways one after another, starting with a different one each round, so
// that a burst of another user's work slows all four alike rather than one of them.
Row measure(std::uint64_t n, int rounds) {
  Row row{n};
  std::array<std::vector<double>, 4> micros;
  const std::uint64_t expected = run_inline(n);
  for (int r = 0; r < rounds; ++r) {
    for (int k = 0; k < 4; ++k) {
      const int way = (r + k) % 4;
      const Clock::time_point t0 = Clock::now();
      const std::uint64_t sum = kRun[way](n);
      micros[way].push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      row.same_sums = row.same_sums && sum == expected;
    }
  }
  for (int way = 0; way < 4; ++way) {
    // The fastest round: the one least disturbed by other users, closest to what the machine does
    // when it is free. (The median says what to expect on a busy machine; fixed_costs prints both.)
    row.micros[way] = *std::min_element(micros[way].begin(), micros[way].end());
  }
  return row;
}

// The smallest n from which splitting won at every size measured; 0 if it never did.
std::uint64_t pays_from(const std::vector<Row>& rows, int way) {
  std::uint64_t from = 0;
  for (auto row = rows.rbegin(); row != rows.rend() && row->micros[way] < row->micros[0]; ++row) from = row->n;
  return from;
}

void print_verdict(const char* worker, std::uint64_t from, double estimate) {
  if (from == 0) {
    std::printf("a new %s never paid at these sizes", worker);
  } else {
    std::printf("a new %s paid from %llu steps on", worker, static_cast<unsigned long long>(from));
  }
  std::printf(" (fixed / variable cost predicts %.0f)\n", estimate);
}

int main(int argc, char** argv) {
  if (argc == 4 && std::string_view(argv[1]) == "half") {  // the child of split_with_process
    std::printf("%llu\n", static_cast<unsigned long long>(l05::mow(std::stoull(argv[2]), std::stoull(argv[3]))));
    return 0;
  }
  l05::print_machine();
  std::vector<Row> rows;
  for (std::uint64_t n = 1024; n <= (16u << 20); n *= 4) rows.push_back(measure(n, n <= (64u << 10) ? 41 : 21));

  std::printf("%10s %12s %12s %22s %22s\n", "steps", kWays[0], kWays[1], kWays[2], kWays[3]);
  bool same = true;
  for (const Row& row : rows) {
    std::printf("%10llu %9.1f us %9.1f us %12.1f us %5.2fx %12.1f us %5.2fx\n", static_cast<unsigned long long>(row.n),
                row.micros[0], row.micros[1], row.micros[2], row.micros[0] / row.micros[2], row.micros[3],
                row.micros[0] / row.micros[3]);
    same = same && row.same_sums;
  }

  // Splitting saves the time of n/2 steps and costs one start: it pays once n/2 * step > start.
  const Row& small = rows.front();
  const Row& large = rows.back();
  const double step_us = large.micros[0] / static_cast<double>(large.n);
  const double thread_us = small.micros[1] - small.micros[0];
  const double process_us = small.micros[3] - small.micros[0] / 2;
  std::printf("variable cost: %.2f ns a step; fixed cost: %.1f us a thread, %.1f us a process\n", step_us * 1e3,
              thread_us, process_us);
  print_verdict("thread", pays_from(rows, 2), 2 * thread_us / step_us);
  std::vector<double>& delays = start_log.delays_us;
  std::sort(delays.begin(), delays.end());
  std::printf("a split's new thread began %.1f us after it was created (median of %zu), on the other CPU in %d%%\n",
              delays[delays.size() / 2], delays.size(), 100 * start_log.on_other_cpu / static_cast<int>(delays.size()));
  print_verdict("process", pays_from(rows, 3), 2 * process_us / step_us);
  std::printf("%s\n", same ? "every way gave the same sum at every size" : "the sums differ");
  return same ? 0 : 1;
}
