// Test helper: holds the given number of threads (main included) for a while, so the
// supervisor's thread count has something to see. Usage: idle_threads THREADS [MILLISECONDS]
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 4;
  const std::chrono::milliseconds hold(argc > 2 ? std::atoi(argv[2]) : 300);
  std::vector<std::jthread> others;
  for (int i = 1; i < threads; ++i) others.emplace_back([hold] { std::this_thread::sleep_for(hold); });
  std::this_thread::sleep_for(hold);
  return 0;
}
