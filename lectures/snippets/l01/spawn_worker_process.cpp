// Lecture snippet (lecture 1): one worker process. The parent sends numbers down the child's
// stdin, reads sums of squares back from its stdout, and reaps it to learn its exit code.
// A second worker gets a line that is not a number and says so with exit code 2.
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "child_process.hpp"

std::uint64_t sum_of_squares(std::uint64_t n) {  // modulo 2^64, as in cpu_bound_threads.cpp
  std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < n; ++i) sum += i * i;
  return sum;
}

// The child's whole program: one number per line in, "number sum" per line out.
int worker() {
  std::uint64_t n = 0;
  while (std::cin >> n) std::cout << n << ' ' << sum_of_squares(n) << '\n';
  return std::cin.eof() ? 0 : 2;  // 0: all input used; 2: a line that was not a number
}

struct Outcome {
  std::string output;  // everything the child wrote to its stdout
  int status = 0;      // its wait status
};

Outcome run_worker(std::string_view input) {
  l01::Child child = l01::spawn_self({"worker"});
  l01::write_all(child.to_child, input);  // fits in the pipe's buffer (64 KiB on Linux)
  close(child.to_child);                  // end-of-file for the child's std::cin
  Outcome outcome;
  outcome.output = l01::read_all(child.from_child);  // returns once the child closed its stdout
  close(child.from_child);
  outcome.status = l01::wait_for(child.pid);  // reap it: no zombie left behind
  return outcome;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "worker") return worker();
  std::signal(SIGPIPE, SIG_IGN);  // a dead reader makes write() fail with EPIPE, not kill us

  const Outcome good = run_worker("5000000\n5000001\n5000002\n");
  std::printf("worker 1 %s and answered:\n%s", l01::describe(good.status).c_str(), good.output.c_str());
  std::ostringstream expected;
  for (std::uint64_t n : {5'000'000, 5'000'001, 5'000'002}) expected << n << ' ' << sum_of_squares(n) << '\n';

  const Outcome bad = run_worker("12\nhello\n");
  std::printf("worker 2 %s and answered:\n%s", l01::describe(bad.status).c_str(), bad.output.c_str());

  const bool ok = WIFEXITED(good.status) && WEXITSTATUS(good.status) == 0 && good.output == expected.str() &&
                  WIFEXITED(bad.status) && WEXITSTATUS(bad.status) == 2 && bad.output == "12 506\n";
  return ok ? 0 : 1;
}
