// Given, do not modify: the sequential baseline of exercise 1.4 and its building blocks.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "cross_validation.hpp"

namespace parlab {
namespace {

// splitmix64 and doubles from it: fixed integer arithmetic, the same on every platform.
class Draws {
 public:
  explicit Draws(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1): the top 53 bits, exactly representable.
  double u() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Approximately standard normal: the sum of 12 uniforms (mean 6, variance 1), minus 6.
  double g() {
    double sum = 0.0;
    for (int k = 0; k < 12; ++k) sum += u();
    return sum - 6.0;
  }

 private:
  std::uint64_t state_;
};

double soft_threshold(double value, double threshold) {
  if (value > threshold) return value - threshold;
  if (value < -threshold) return value + threshold;
  return 0.0;
}

}  // namespace

Dataset make_housing_like(std::size_t rows, std::uint64_t seed) {
  constexpr std::size_t p = kHousingFeatures.size();
  Dataset data;
  data.rows = rows;
  data.features = p;
  data.x.resize(p * rows);
  data.y.resize(rows);
  Draws draw(seed);
  for (std::size_t i = 0; i < rows; ++i) {
    // Where: t runs along the coast from San Diego (0) to the Oregon border (1).
    const double where = draw.u();
    double t = where < 0.45 ? 0.16 + 0.05 * draw.g() : where < 0.75 ? 0.56 + 0.04 * draw.g() : draw.u();
    t = std::clamp(t, 0.0, 1.0);
    const double inland = 0.9 * std::abs(draw.g());     // degrees of longitude east of the coast
    const double coastal = 1.0 / (1.0 + 3.0 * inland);  // 1 on the coast, falling inland
    const double latitude = std::clamp(32.55 + 9.4 * t + 0.25 * draw.g(), 32.54, 41.95);
    const double longitude = std::clamp(-117.15 - 7.1 * t + inland, -124.35, -114.31);

    const double income = std::clamp(std::exp(1.15 + 0.42 * draw.g() + 0.35 * coastal), 0.4999, 15.0001);
    const double age = std::clamp(std::round(28.6 + 12.6 * draw.g()), 1.0, 52.0);
    double rooms = 4.2 + 0.33 * income + 0.9 * draw.g();
    if (draw.u() < 0.002) rooms *= 8.0;  // a holiday area: many rooms, few residents
    rooms = std::clamp(rooms, 0.85, 141.9);
    const double bedrooms = std::clamp(rooms * (0.2 + 0.015 * draw.g()), 0.33, 34.07);
    const double population = std::clamp(std::exp(7.0 + 0.75 * draw.g()), 3.0, 35682.0);
    const double occupancy = std::clamp(std::exp(1.05 + 0.25 * draw.g()), 0.69, 1243.0);

    const double plane = 0.44 * income + 0.0094 * age - 0.107 * rooms + 0.645 * bedrooms - 0.000004 * population -
                         0.0038 * occupancy - 0.42 * latitude - 0.43 * longitude - 36.5;
    const double value = std::clamp(plane + 0.8 * coastal + 0.6 * draw.g(), 0.14999, 5.00001);

    const double row[p] = {income, age, rooms, bedrooms, population, occupancy, latitude, longitude};
    for (std::size_t j = 0; j < p; ++j) data.x[j * rows + i] = row[j];
    data.y[i] = value;
  }
  return data;
}

void check_cross_validation_arguments(const Dataset& data, const CrossValidationConfig& config) {
  auto bad = [](const std::string& what) { throw std::invalid_argument("cross_validate: " + what); };
  if (data.features == 0) bad("the data set has no features");
  if (data.x.size() != data.rows * data.features) bad("x does not hold rows x features values");
  if (data.y.size() != data.rows) bad("y does not hold one value per row");
  if (config.strengths.empty()) bad("the grid of strengths is empty");
  for (const double s : config.strengths) {
    if (!std::isfinite(s) || s < 0) bad("a strength is negative or not finite: " + std::to_string(s));
  }
  if (config.folds < 2) bad("cross-validation needs at least 2 folds");
  if (data.rows < config.folds) {
    bad("too few rows: " + std::to_string(data.rows) + " rows cannot fill " + std::to_string(config.folds) + " folds");
  }
  if (!std::isfinite(config.lasso.tolerance) || config.lasso.tolerance < 0) {
    bad("the tolerance is negative or not finite");
  }
}

FoldSplit split_fold(const Dataset& data, std::size_t folds, std::size_t k) {
  if (folds == 0 || folds > data.rows || k >= folds) throw std::invalid_argument("split_fold: no such fold");
  const std::size_t first = k * data.rows / folds;
  const std::size_t last = (k + 1) * data.rows / folds;  // one past fold k's last row
  FoldSplit split;
  split.test.rows = last - first;
  split.train.rows = data.rows - split.test.rows;
  split.test.features = split.train.features = data.features;
  split.test.x.reserve(split.test.rows * data.features);
  split.train.x.reserve(split.train.rows * data.features);
  for (std::size_t j = 0; j < data.features; ++j) {
    const auto column = data.x.begin() + static_cast<std::ptrdiff_t>(j * data.rows);
    split.train.x.insert(split.train.x.end(), column, column + static_cast<std::ptrdiff_t>(first));
    split.test.x.insert(split.test.x.end(), column + static_cast<std::ptrdiff_t>(first),
                        column + static_cast<std::ptrdiff_t>(last));
    split.train.x.insert(split.train.x.end(), column + static_cast<std::ptrdiff_t>(last),
                         column + static_cast<std::ptrdiff_t>(data.rows));
  }
  const auto y = data.y.begin();
  split.train.y.assign(y, y + static_cast<std::ptrdiff_t>(first));
  split.train.y.insert(split.train.y.end(), y + static_cast<std::ptrdiff_t>(last), data.y.end());
  split.test.y.assign(y + static_cast<std::ptrdiff_t>(first), y + static_cast<std::ptrdiff_t>(last));
  return split;
}

std::vector<double> fit_lasso(const Dataset& train, double strength, const LassoOptions& options) {
  const std::size_t n = train.rows;
  const std::size_t p = train.features;
  std::vector<double> b(p, 0.0);
  if (n == 0) return b;

  // mean_square[j]: (1/n) sum of x_ij^2, the curvature of the objective along b_j.
  std::vector<double> mean_square(p, 0.0);
  for (std::size_t j = 0; j < p; ++j) {
    const double* xj = &train.x[j * n];
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += xj[i] * xj[i];
    mean_square[j] = sum / static_cast<double>(n);
  }

  std::vector<double> residual(train.y);  // y - X b, with b = 0
  for (std::size_t sweep = 0; sweep < options.max_sweeps; ++sweep) {
    double largest_move = 0.0;
    for (std::size_t j = 0; j < p; ++j) {
      if (mean_square[j] == 0.0) continue;  // a feature that is 0 everywhere stays out
      const double* xj = &train.x[j * n];
      double correlation = 0.0;  // (1/n) x_j . residual, summed in row order
      for (std::size_t i = 0; i < n; ++i) correlation += xj[i] * residual[i];
      correlation /= static_cast<double>(n);
      const double updated = soft_threshold(correlation + mean_square[j] * b[j], strength) / mean_square[j];
      const double change = updated - b[j];
      if (change == 0.0) continue;
      for (std::size_t i = 0; i < n; ++i) residual[i] -= xj[i] * change;
      b[j] = updated;
      largest_move = std::max(largest_move, std::abs(change) * std::sqrt(mean_square[j]));
    }
    if (largest_move <= options.tolerance) break;
  }
  return b;
}

double mean_squared_error(const Dataset& test, const std::vector<double>& coefficients) {
  double sum = 0.0;
  for (std::size_t i = 0; i < test.rows; ++i) {
    double prediction = 0.0;
    for (std::size_t j = 0; j < test.features; ++j) prediction += test.at(i, j) * coefficients[j];
    const double error = test.y[i] - prediction;
    sum += error * error;
  }
  return sum / static_cast<double>(test.rows);
}

CrossValidationResult summarize_folds(const Dataset& data, const CrossValidationConfig& config,
                                      const std::vector<double>& fold_mse) {
  const std::size_t grid = config.strengths.size();
  const std::size_t folds = config.folds;
  CrossValidationResult result;
  result.mse.resize(grid);
  for (std::size_t s = 0; s < grid; ++s) {
    double sum = 0.0;
    for (std::size_t k = 0; k < folds; ++k) sum += fold_mse[s * folds + k];
    result.mse[s] = sum / static_cast<double>(folds);
  }
  result.best = static_cast<std::size_t>(std::min_element(result.mse.begin(), result.mse.end()) - result.mse.begin());
  result.best_strength = config.strengths[result.best];
  result.coefficients = fit_lasso(data, result.best_strength, config.lasso);
  return result;
}

CrossValidationResult cross_validate_sequential(const Dataset& data, const CrossValidationConfig& config) {
  check_cross_validation_arguments(data, config);
  const std::size_t grid = config.strengths.size();
  const std::size_t folds = config.folds;

  std::vector<FoldSplit> splits;
  splits.reserve(folds);
  for (std::size_t k = 0; k < folds; ++k) splits.push_back(split_fold(data, folds, k));

  // Every (strength, fold) fit, one after another: grid x folds of them.
  std::vector<double> fold_mse(grid * folds);  // fold_mse[s * folds + k]
  for (std::size_t s = 0; s < grid; ++s) {
    for (std::size_t k = 0; k < folds; ++k) {
      const std::vector<double> b = fit_lasso(splits[k].train, config.strengths[s], config.lasso);
      fold_mse[s * folds + k] = mean_squared_error(splits[k].test, b);
    }
  }

  return summarize_folds(data, config, fold_mse);
}

}  // namespace parlab
