// Given, do not modify: the bench adapter of exercise 3.2, parallel_sum (see bench.hpp).
//
// Workload: an array of `size` 32-bit values drawn from the seed, built before the clock starts
// (untimed), then one sum over all of it. Each element costs about ten nanoseconds of mixing, so one
// loop takes about size x (that) and `workers` threads, well balanced, about 1 / workers of it.
// The grader times 64 million values (256 MB).
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench.hpp"
#include "digest.hpp"
#include "parallel_sum.hpp"

namespace parlab::bench {
namespace {

// splitmix64: a small, fixed generator, so the array is the same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class ParallelSumWorkload final : public Workload {
 public:
  ParallelSumWorkload(std::vector<std::uint32_t> values, unsigned workers)
      : values_(std::move(values)), workers_(workers) {}

  void run_sequential() override { sum_ = parallel_sum_sequential(values_); }
  void run_student() override { sum_ = parallel_sum(values_, workers_); }

  // The size and the sum: a dropped, doubled or misread element changes the sum.
  std::string digest() const override {
    return sha1_hex(std::to_string(values_.size()) + " " + std::to_string(sum_) + "\n");
  }

 private:
  std::vector<std::uint32_t> values_;
  unsigned workers_;
  std::uint64_t sum_ = 0;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  std::uint64_t state = params.seed;
  std::vector<std::uint32_t> values(params.size);
  for (std::uint32_t& value : values) value = static_cast<std::uint32_t>(next_random(state) >> 32);
  return std::make_unique<ParallelSumWorkload>(std::move(values), params.workers);
}

}  // namespace parlab::bench
