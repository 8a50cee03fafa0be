// Given, do not modify: the bench adapter of exercise 1.3, process_pool (see bench.hpp).
//
// Workload: `size` tasks, each a number near five million (5,000,000 plus up to 65,535, drawn from
// the seed), as in the lecture's list of numbers for problem(). Each task is 6-15 ms of pure CPU in
// a worker process (6 ms on an idle core here); the pipes carry a few dozen bytes per task. One
// worker takes about size x 6 ms (0.8 s for the timed 128 tasks); `workers` processes on as many
// free cores about that divided by `workers`, plus the start-up of the processes (milliseconds).
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench.hpp"
#include "digest.hpp"
#include "process_pool.hpp"

namespace parlab::bench {
namespace {

constexpr std::uint64_t kBase = 5'000'000;
constexpr std::uint64_t kSpread = 65'536;

// splitmix64: a small, fixed generator, so the list is the same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class ProcessPoolWorkload final : public Workload {
 public:
  ProcessPoolWorkload(std::vector<std::uint64_t> numbers, unsigned workers)
      : numbers_(std::move(numbers)), workers_(workers) {}

  void run_sequential() override { results_ = process_pool_sequential(numbers_, kWorkerPath); }
  void run_student() override { results_ = process_pool(numbers_, workers_, kWorkerPath); }

  // The count and every result, in order, so results that differ anywhere differ here.
  std::string digest() const override {
    Sha1 sha;
    sha.update(std::to_string(results_.size())).update("\n");
    for (std::uint64_t r : results_) sha.update(std::to_string(r)).update("\n");
    return sha.hex();
  }

 private:
  static inline const std::string kWorkerPath = PARLAB_PROGRAM_PROCESS_POOL_WORKER;
  std::vector<std::uint64_t> numbers_;
  unsigned workers_;
  std::vector<std::uint64_t> results_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  std::uint64_t state = params.seed;
  std::vector<std::uint64_t> numbers;
  numbers.reserve(params.size);
  for (std::size_t i = 0; i < params.size; ++i) numbers.push_back(kBase + next_random(state) % kSpread);
  return std::make_unique<ProcessPoolWorkload>(std::move(numbers), params.workers);
}

}  // namespace parlab::bench
