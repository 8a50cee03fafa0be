// Test helper: a real deadlock, for the stacks the grader shows of a hung program. The main thread
// holds `held` and joins a worker that needs it. Usage: deadlocked [within]
//   (no argument)  hangs until killed: the grader's timeout reads the stacks
//   within         the same inside PARLAB_WITHIN(1s, ...), which prints them itself and exits 3
#include <mutex>
#include <string_view>
#include <thread>

#include "deadline.hpp"

namespace {

std::mutex held;

void store_result() {
  std::lock_guard lock(held);  // waits forever: main holds `held` while it joins this thread
}

void hold_and_join() {
  std::lock_guard lock(held);
  std::thread worker(store_result);
  worker.join();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  if (argc > 1 && std::string_view(argv[1]) == "within") {
    PARLAB_WITHIN(1s, "the worker never finished") { hold_and_join(); };
  } else {
    hold_and_join();
  }
  return 0;
}
