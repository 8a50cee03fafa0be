// Given, do not modify: the bench adapter of exercise 3.3, monte_carlo_pi (see bench.hpp).
//
// Workload: `size` samples under the given seed, in blocks of kBlockSamples; nothing to prepare.
// Each sample costs a draw and two multiplications, so one loop takes about size x (that) and
// `workers` threads, well balanced, about 1 / workers of it. The grader times 300 million
// samples. A size of 0 is rejected by both sides (std::invalid_argument), so the manifest lists
// the differential sizes itself.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "bench.hpp"
#include "digest.hpp"
#include "monte_carlo_pi.hpp"

namespace parlab::bench {
namespace {

class MonteCarloPiWorkload final : public Workload {
 public:
  MonteCarloPiWorkload(std::uint64_t samples, std::uint64_t seed, unsigned workers)
      : samples_(samples), seed_(seed), workers_(workers) {}

  void run_sequential() override { result_ = monte_carlo_pi_sequential(samples_, seed_); }
  void run_student() override { result_ = monte_carlo_pi(samples_, seed_, workers_); }

  // Every field, the estimate to all 17 significant digits: equal counts give equal digests.
  std::string digest() const override {
    char estimate[32];
    std::snprintf(estimate, sizeof estimate, "%.17g", result_.estimate);
    return sha1_hex(std::to_string(result_.samples) + " " + std::to_string(result_.hits) + " " + estimate + "\n");
  }

 private:
  std::uint64_t samples_;
  std::uint64_t seed_;
  unsigned workers_;
  PiEstimate result_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  return std::make_unique<MonteCarloPiWorkload>(params.size, params.seed, params.workers);
}

}  // namespace parlab::bench
