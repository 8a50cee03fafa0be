// Test helper: keeps the given number of threads busy (main waits for them), and optionally
// forked child processes too, each until it has used the given CPU time of its own, so the
// sampler has threads, processes and CPU time to see however loaded the machine is.
// The first busy thread names itself with bytes a name may hold but text may not: a control
// character, half of a UTF-8 character, and a ')'.
// Usage: busy_threads THREADS CPU_MILLISECONDS [CHILD_PROCESSES]
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <thread>
#include <vector>

namespace {

double thread_cpu_ms() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

// Spins until this thread has run for `ms` of CPU time.
void spin(double ms) {
  volatile unsigned long long sink = 0;
  const double until = thread_cpu_ms() + ms;
  while (thread_cpu_ms() < until) {
    for (int i = 0; i < 10'000; ++i) sink = sink + static_cast<unsigned long long>(i);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  const double ms = argc > 2 ? std::atof(argv[2]) : 300;
  const int children = argc > 3 ? std::atoi(argv[3]) : 0;
  std::vector<pid_t> pids;
  for (int i = 0; i < children; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      spin(ms);
      std::_Exit(0);
    }
    if (pid > 0) pids.push_back(pid);
  }
  {
    std::vector<std::jthread> busy;
    for (int i = 0; i < threads; ++i) {
      busy.emplace_back([ms, i] {
        if (i == 0) ::pthread_setname_np(::pthread_self(), "odd\x01\xc3) name");
        spin(ms);
      });
    }
  }
  for (const pid_t pid : pids) ::waitpid(pid, nullptr, 0);
  return 0;
}
