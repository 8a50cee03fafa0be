// Lecture snippet (lecture 1): what it costs to start a worker. 50 threads started and joined,
// then 50 copies of this program started and reaped, one after another; each child exits at once.
#include <chrono>
#include <cstdio>
#include <string_view>
#include <thread>

#include "child_process.hpp"

constexpr int kRounds = 50;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "noop") return 0;  // the child: start, then exit

  auto t0 = std::chrono::steady_clock::now();
  int ran = 0;
  for (int i = 0; i < kRounds; ++i) std::jthread([&ran] { ++ran; }).join();
  const double thread_s = seconds_since(t0);

  t0 = std::chrono::steady_clock::now();
  int exited_ok = 0;
  for (int i = 0; i < kRounds; ++i) {
    const l01::Child child = l01::spawn_self({"noop"});
    close(child.to_child);
    close(child.from_child);
    const int status = l01::wait_for(child.pid);
    exited_ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  const double process_s = seconds_since(t0);

  std::printf("thread:  %7.1f us to start and join\n", thread_s / kRounds * 1e6);
  std::printf("process: %7.1f us to spawn, run main, exit and reap (%.0fx a thread)\n", process_s / kRounds * 1e6,
              process_s / thread_s);
  return ran == kRounds && exited_ok == kRounds ? 0 : 1;
}
