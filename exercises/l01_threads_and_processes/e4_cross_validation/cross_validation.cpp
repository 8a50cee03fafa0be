// Student file: exercise 1.4, cross_validation. Run the fits of cross_validate() on `workers` threads.
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "cross_validation.hpp"

namespace parlab {

CrossValidationResult cross_validate(const Dataset& data, const CrossValidationConfig& config, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("cross_validate: workers must be at least 1");
  check_cross_validation_arguments(data, config);
  const std::size_t grid = config.strengths.size();
  const std::size_t folds = config.folds;

  std::vector<FoldSplit> splits;
  splits.reserve(folds);
  for (std::size_t k = 0; k < folds; ++k) splits.push_back(split_fold(data, folds, k));

  // TODO(student): run these grid x folds fits as tasks on a pool of `workers` threads.
  // Goal: every core busy with a fit of its own until the last one is done, and a result
  // identical, bit for bit, to cross_validate_sequential(): each task calls fit_lasso() and
  // mean_squared_error() exactly as below, whichever thread runs it.
  // Edge cases: more workers than fits (start no more threads than there are tasks), one
  // strength, two folds. Fits take unequal times (a strong penalty converges sooner), so
  // hand the tasks out one at a time rather than in fixed blocks.
  // Hint: number the tasks 0 .. grid * folds - 1, let each thread claim the next number from
  // a std::atomic counter, and store each error in its own slot of fold_mse: one writer per
  // slot needs no lock. The splits are only read by the tasks, so they may be shared.
  // summarize_folds() after this loop adds the errors in fold order once the threads are
  // joined (another order can change the last bit): it needs no change. You may add helper
  // functions to this file.
  std::vector<double> fold_mse(grid * folds);  // fold_mse[s * folds + k]
  for (std::size_t s = 0; s < grid; ++s) {
    for (std::size_t k = 0; k < folds; ++k) {
      const std::vector<double> b = fit_lasso(splits[k].train, config.strengths[s], config.lasso);
      fold_mse[s * folds + k] = mean_squared_error(splits[k].test, b);
    }
  }

  return summarize_folds(data, config, fold_mse);  // the sums in fold order, then the refit
}

}  // namespace parlab
