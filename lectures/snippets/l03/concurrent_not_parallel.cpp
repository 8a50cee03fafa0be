// Lecture snippet (lecture 3): concurrency without parallelism, and with it. Two CPU-bound tasks
// run one after the other; then on two threads confined to one core, where the scheduler takes
// turns between them (both in progress, one at a time); then on two threads with two cores.
#include <pthread.h>
#include <sched.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "stopwatch.hpp"

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kSteps = 60'000'000;

// A murmur3-style finalizer applied over and over: pure computation, nothing a compiler can skip.
std::uint64_t churn(std::uint64_t x) {
  for (std::uint64_t i = 0; i < kSteps; ++i) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
  }
  return x;
}

struct Task {
  std::uint64_t answer = 0;
  double finished_at = 0;  // seconds since the batch started
};

// The CPUs this process may run on (its affinity mask, which a container may narrow).
std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  sched_getaffinity(0, sizeof set, &set);
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

void pin_this_thread_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

std::vector<Task> one_after_the_other() {
  const Clock::time_point t0 = Clock::now();
  std::vector<Task> tasks(2);
  for (int t = 0; t < 2; ++t) {
    tasks[t].answer = churn(t + 1);
    tasks[t].finished_at = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  return tasks;
}

// Both tasks on threads of their own, thread t pinned to cpus[t]: one CPU twice means taking turns.
std::vector<Task> two_threads_on(const std::vector<int>& cpus) {
  const Clock::time_point t0 = Clock::now();
  std::vector<Task> tasks(2);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&tasks, &cpus, t0, t] {
        pin_this_thread_to(cpus[t]);
        tasks[t].answer = churn(t + 1);
        tasks[t].finished_at = std::chrono::duration<double>(Clock::now() - t0).count();
      });
    }
  }
  return tasks;
}

template <typename Run>
std::vector<Task> report(const char* label, Run run) {
  const auto timed = l03::timed(run);
  std::printf("%-22s %.3f s wall, cores busy %.2f; task A done at %.3f s, task B at %.3f s\n", label, timed.wall,
              timed.cores_busy, timed.result[0].finished_at, timed.result[1].finished_at);
  return timed.result;
}

int main() {
  const std::vector<int> cpus = allowed_cpus();
  std::printf("this process may run on %zu cores\n", cpus.size());
  const std::vector<Task> serial = report("one after the other", one_after_the_other);
  const std::vector<Task> turns = report("2 threads, 1 core", [&] { return two_threads_on({cpus[0], cpus[0]}); });
  bool same = turns[0].answer == serial[0].answer && turns[1].answer == serial[1].answer;
  if (cpus.size() >= 2) {
    const std::vector<Task> both = report("2 threads, 2 cores", [&] { return two_threads_on({cpus[0], cpus[1]}); });
    same = same && both[0].answer == serial[0].answer && both[1].answer == serial[1].answer;
  } else {
    std::printf("only one core here: no parallel run to show\n");
  }
  std::printf("%s\n", same ? "the same two answers every way" : "the answers differ");
  return same ? 0 : 1;
}
