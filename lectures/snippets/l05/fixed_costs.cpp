// Lecture snippet (lecture 5): the fixed cost of a worker, paid before it does any work. Starts and
// ends, one at a time: a thread; a forked copy of this process that exits at once; /bin/true by
// fork and exec; /bin/true by posix_spawn. Then the processes again, with 64 MiB of this process's
// memory in use, which a fork has to map into the copy. Prints the median and the fastest of each.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "machine.hpp"

extern char** environ;

using Clock = std::chrono::steady_clock;

// Waits for the child and reaps it; true when it exited with code 0.
bool reaped_ok(pid_t pid) {
  int status = 0;
  if (pid <= 0 || waitpid(pid, &status, 0) != pid) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool start_thread() {
  bool ran = false;
  std::thread worker([&ran] { ran = true; });
  worker.join();  // the join makes the write to `ran` visible here
  return ran;
}

// No thread but this one is running when these fork, so the copy cannot inherit a held lock.
bool fork_copy() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);  // the child: a copy of this process, with nothing to do
  return reaped_ok(pid);
}

bool fork_exec() {
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/true", "true", static_cast<char*>(nullptr));  // replaces the copy with another program
    _exit(127);                                               // reached only if exec failed
  }
  return reaped_ok(pid);
}

bool spawn() {
  char name[] = "true";
  char* argv[] = {name, nullptr};
  pid_t pid = -1;
  if (posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ) != 0) return false;
  return reaped_ok(pid);
}

// Times `rounds` starts and ends one by one, and prints their median and the fastest: on a shared
// machine a few rounds are slowed down by other users, and the median ignores them.
template <typename StartAndEnd>
bool measure(const char* what, int rounds, StartAndEnd start_and_end) {
  std::fflush(stdout);  // a forked copy inherits unwritten output, and may write it again as it exits
  std::vector<double> micros;
  bool ok = true;
  for (int i = 0; i < rounds; ++i) {
    const Clock::time_point t0 = Clock::now();
    ok = start_and_end() && ok;
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::sort(micros.begin(), micros.end());
  std::printf("  %-24s %8.1f us  (fastest %7.1f us, %4d rounds)\n", what, micros[micros.size() / 2], micros.front(),
              rounds);
  return ok;
}

bool measure_processes(int rounds) {
  bool ok = measure("fork, the copy exits", rounds, fork_copy);
  ok = measure("fork + exec /bin/true", rounds, fork_exec) && ok;
  return measure("posix_spawn /bin/true", rounds, spawn) && ok;
}

int main() {
  l05::print_machine();
  std::printf("start a worker that does nothing, wait for it to end: median of the rounds\n");
  bool ok = measure("std::thread + join", 2000, start_thread);
  ok = measure_processes(100) && ok;

  std::vector<char> ballast(64u << 20);
  std::fill(ballast.begin(), ballast.end(), 1);  // touched, so every page is really in memory
  std::printf("the same processes, with 64 MiB of this process's memory in use:\n");
  ok = measure_processes(10) && ok;

  std::printf("%s\n", ok ? "every worker ran and ended cleanly" : "a worker failed");
  return ok && ballast[12345] == 1 ? 0 : 1;
}
