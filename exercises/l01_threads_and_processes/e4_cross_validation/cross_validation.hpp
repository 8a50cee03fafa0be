// Given, do not modify: the API of exercise 1.4, cross_validation, and its concurrency contract.
//
// Choose the strength of a lasso regression by k-fold cross-validation: for every strength in
// a grid and every fold, fit the model on the other folds and measure its error on this one.
// The grid times the folds makes many independent fits (6 x 5 = 30 by default), each a few
// tens of milliseconds of arithmetic: tasks that a pool of threads can run side by side.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace parlab {

// A regression data set: `rows` observations of `features` numbers each, and one target each.
// Stored column by column, so that a fit walks one feature's values in memory order.
struct Dataset {
  std::size_t rows = 0;
  std::size_t features = 0;
  std::vector<double> x;  // features * rows values: x[j * rows + i] is feature j of row i
  std::vector<double> y;  // rows values: y[i] is the target of row i

  double at(std::size_t row, std::size_t feature) const { return x[feature * rows + row]; }
  bool operator==(const Dataset&) const = default;
};

// The columns of make_housing_like(), in order, named as in the California housing data set.
inline constexpr std::array<std::string_view, 8> kHousingFeatures = {"MedInc",     "HouseAge", "AveRooms", "AveBedrms",
                                                                     "Population", "AveOccup", "Latitude", "Longitude"};

// A synthetic data set shaped like California housing (20,640 block groups, 8 features, the
// median house value in units of $100,000 as target), a pure function of (rows, seed): the
// same arguments give the same bits on every call and every thread. Rows are independent draws,
// so they come in random order (the lecture shuffles the real data for the same reason).
//
// Per row, from one splitmix64 stream seeded with `seed`, where u is uniform in [0, 1) and g is
// approximately standard normal (the sum of 12 draws of u, minus 6):
//   place       45% near Los Angeles, 30% near the Bay Area, 25% anywhere along the coast
//               from San Diego to the Oregon border, then `inland` = 0.9 |g| degrees east;
//               Latitude in [32.54, 41.95], Longitude in [-124.35, -114.31]
//   MedInc      exp(1.15 + 0.42 g + 0.35 c), c = 1 / (1 + 3 inland) being 1 on the coast;
//               mean about 4, clamped to [0.4999, 15.0001] (the real data's range)
//   HouseAge    28.6 + 12.6 g, rounded, clamped to [1, 52]
//   AveRooms    4.2 + 0.33 MedInc + 0.9 g; one row in 500 is a holiday area with 8 times
//               the rooms; clamped to [0.85, 141.9]
//   AveBedrms   AveRooms x (0.2 + 0.015 g), clamped to [0.33, 34.07]
//   Population  exp(7 + 0.75 g): median about 1,100, a long right tail; clamped to [3, 35682]
//   AveOccup    exp(1.05 + 0.25 g), clamped to [0.69, 1243]
//   target      the real data's least-squares plane, rounded (0.44 MedInc + 0.0094 HouseAge
//               - 0.107 AveRooms + 0.645 AveBedrms - 0.000004 Population - 0.0038 AveOccup
//               - 0.42 Latitude - 0.43 Longitude - 36.5), plus 0.8 c (a premium near the
//               coast that no plane captures), plus noise 0.6 g; clamped to [0.14999,
//               5.00001] like the real data. Mean about 2.06, standard deviation about 1.1.
// The exact arithmetic is in cross_validation_sequential.cpp.
// Throws only std::bad_alloc. Thread-safe.
Dataset make_housing_like(std::size_t rows, std::uint64_t seed);

// How one lasso fit runs (see fit_lasso).
struct LassoOptions {
  std::size_t max_sweeps = 200;  // at most this many passes over the features
  double tolerance = 1e-4;       // stop once no coefficient moves the fit by more than this
  bool operator==(const LassoOptions&) const = default;
};

// One cross-validation: the grid of strengths, the number of folds, how each fit runs. The
// defaults are the lecture's Spark job: regParam in {0.001, 0.01, 0.1, 0.5, 1, 2}, numFolds 5.
struct CrossValidationConfig {
  std::vector<double> strengths = {0.001, 0.01, 0.1, 0.5, 1.0, 2.0};
  std::size_t folds = 5;
  LassoOptions lasso;
};

// What a cross-validation found. Two results are equal when every field is, bit for bit.
struct CrossValidationResult {
  std::vector<double> mse;           // per strength, in grid order: the mean over the folds of
                                     // the test mean squared error (see cross_validate_sequential)
  std::size_t best = 0;              // index of the lowest mse; the first one on a tie
  double best_strength = 0.0;        // strengths[best]
  std::vector<double> coefficients;  // the lasso at best_strength refitted on every row, one
                                     // per feature (what Spark calls bestModel.coefficients)
  bool operator==(const CrossValidationResult&) const = default;
};

// ---- Building blocks, given. Pure functions: thread-safe, and each returns the same bits for
// ---- the same arguments whichever thread calls it. They block nothing.

// Throws std::invalid_argument, naming the problem, unless: data.features >= 1, x and y have
// the sizes rows and features say, config.strengths is not empty and every strength is finite
// and >= 0, config.folds >= 2, data.rows >= config.folds (every test fold needs a row), and
// config.lasso.tolerance is finite and >= 0. Otherwise returns and does nothing.
void check_cross_validation_arguments(const Dataset& data, const CrossValidationConfig& config);

// The rows of fold k and the rest. Fold k holds the rows [k * rows / folds, (k + 1) * rows /
// folds) (integer division), so fold sizes differ by at most one when folds does not divide
// rows. `test` is fold k, `train` every other row, both in their original order.
// Requires 1 <= folds <= data.rows and k < folds (checked: std::invalid_argument).
struct FoldSplit {
  Dataset train;
  Dataset test;
};
FoldSplit split_fold(const Dataset& data, std::size_t folds, std::size_t k);

// The lasso without intercept: the coefficients b (one per feature) that minimize
//   (1 / (2 n)) x sum over rows of (y_i - x_i . b)^2  +  strength x sum over features of |b_j|,
// the objective Spark documents for LinearRegression, here with elasticNetParam 1 (pure L1),
// fitIntercept false and standardization false, as in the lecture. Cyclic coordinate descent
// from b = 0: a sweep updates b_0, b_1, ... in order, each by soft-thresholding against the
// current residuals; the fit stops after the first sweep in which every coefficient moved the
// fitted values by at most options.tolerance (|change of b_j| x root mean square of feature j),
// or after options.max_sweeps sweeps. A feature that is 0 on every row keeps b_j = 0. Every sum
// runs in row order, so the result is the same bits on every call. Costs about
// 2 x features x rows multiply-adds per sweep.
std::vector<double> fit_lasso(const Dataset& train, double strength, const LassoOptions& options);

// (1 / n) x sum over rows of (y_i - x_i . b)^2, summed in row order; NaN for no rows.
double mean_squared_error(const Dataset& test, const std::vector<double>& coefficients);

// What follows the fits, the same for every version: mse[s] = (fold_mse[s * folds + 0] + ... +
// fold_mse[s * folds + folds - 1]) / folds, added in fold order from 0.0 (another order can
// change the last bit); best = the first index of the lowest mse; coefficients = one more fit,
// on every row, with strengths[best]. That refit needs every fold's error, so it cannot start
// before the last fit ends. Runs on the calling thread.
CrossValidationResult summarize_folds(const Dataset& data, const CrossValidationConfig& config,
                                      const std::vector<double>& fold_mse);

// ---- The exercise.

// The baseline: every (strength, fold) fit, one after another on the calling thread, then
//   mse[s] = (fold_mse[s][0] + fold_mse[s][1] + ... + fold_mse[s][folds - 1]) / folds,
// added in fold order from 0.0, where fold_mse[s][k] = mean_squared_error(split k's test,
// fit_lasso(split k's train, strengths[s], config.lasso)); then best = the first index of the
// lowest mse, and coefficients = fit_lasso(data, strengths[best], config.lasso).
// Blocks until done. Throws std::invalid_argument as check_cross_validation_arguments() does,
// std::bad_alloc when memory runs out. Thread-safe: several threads may call it at once.
CrossValidationResult cross_validate_sequential(const Dataset& data, const CrossValidationConfig& config);

// The same cross-validation, its fits run as tasks on up to `workers` threads at once.
//
// Returns exactly what cross_validate_sequential(data, config) returns, bit for bit: every fit
// is computed by the same code whichever thread runs it, and the fold errors are added in fold
// order, never in the order the fits happen to finish. Blocks until the result is complete and
// every thread it started has been joined; no thread outlives the call. More workers than fits
// is fine (the extra ones stay idle or unstarted). Throws std::invalid_argument when `workers`
// is 0 or as check_cross_validation_arguments() does (before starting any thread),
// std::system_error when a thread cannot be started, std::bad_alloc when memory runs out.
// Thread-safe: several threads may call it at once; `data` and `config` are only read, and
// must not change during the call.
CrossValidationResult cross_validate(const Dataset& data, const CrossValidationConfig& config, unsigned workers);

}  // namespace parlab
