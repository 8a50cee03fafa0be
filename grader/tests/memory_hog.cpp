// Test helper: touches the given number of MiB, then sleeps, so the supervisor's memory
// limits have something to stop. Usage: memory_hog MIB [SECONDS]
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  const std::size_t mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1024;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 5;
  std::vector<char*> blocks;
  for (std::size_t i = 0; i < mib; ++i) {
    char* block = static_cast<char*>(std::malloc(1 << 20));
    if (block == nullptr) return 42;  // what RLIMIT_AS looks like from inside
    std::memset(block, 1, 1 << 20);   // touched, so it is resident, not just reserved
    blocks.push_back(block);
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  return 0;
}
