// Lecture snippet (lecture 1): a crash takes down its whole process, and only that process.
// The child's worker thread throws an exception nobody catches: std::terminate aborts the child,
// every thread of it included. The parent reads the signal from the wait status and carries on.
#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "child_process.hpp"

int crashing_worker() {
  std::jthread worker([] { throw std::runtime_error("bad input"); });  // escapes the thread: terminate
  return 0;                                                            // never reached
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "crash") return crashing_worker();

  const l01::Child child = l01::spawn_self({"crash"});
  close(child.to_child);
  close(child.from_child);
  const int status = l01::wait_for(child.pid);
  std::printf("the child %s; the parent is still running and may retry or report it\n", l01::describe(status).c_str());
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT ? 0 : 1;
}
