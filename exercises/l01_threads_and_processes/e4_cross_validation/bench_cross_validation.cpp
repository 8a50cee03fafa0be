// Given, do not modify: the bench adapter of exercise 1.4, cross_validation (see bench.hpp).
//
// Workload: make_housing_like(size, seed), `size` rows shaped like California housing (20,640
// is the real data set's size), cross-validated with the default configuration: 6 strengths,
// 5 folds, at most 200 sweeps per fit. That is 30 fits on 4/5 of the rows and one refit on
// all of them. Fewer rows than folds is an error (both implementations throw
// std::invalid_argument, and the driver exits non-zero), so the manifest lists the row counts
// to compare instead of deriving them from the worker count.
#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "bench.hpp"
#include "cross_validation.hpp"
#include "digest.hpp"

namespace parlab::bench {
namespace {

// A double as the 16 hex digits of its bits: equal digests mean equal bits, not "close".
std::string bits(double value) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto word = std::bit_cast<std::uint64_t>(value);
  std::string out(16, '0');
  for (int d = 0; d < 16; ++d) out[15 - d] = kHex[(word >> (4 * d)) & 0xF];
  return out;
}

class CrossValidationWorkload final : public Workload {
 public:
  CrossValidationWorkload(Dataset data, unsigned workers) : data_(std::move(data)), workers_(workers) {}

  void run_sequential() override { result_ = cross_validate_sequential(data_, config_); }
  void run_student() override { result_ = cross_validate(data_, config_, workers_); }

  // Every field of the result, every double by its bits.
  std::string digest() const override {
    Sha1 sha;
    sha.update("mse");
    for (const double v : result_.mse) sha.update(" ").update(bits(v));
    sha.update("\nbest ").update(std::to_string(result_.best)).update(" ").update(bits(result_.best_strength));
    sha.update("\ncoefficients");
    for (const double v : result_.coefficients) sha.update(" ").update(bits(v));
    sha.update("\n");
    return sha.hex();
  }

 private:
  Dataset data_;
  CrossValidationConfig config_;  // the defaults: the lecture's grid and folds
  unsigned workers_;
  CrossValidationResult result_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  return std::make_unique<CrossValidationWorkload>(make_housing_like(params.size, params.seed), params.workers);
}

}  // namespace parlab::bench
