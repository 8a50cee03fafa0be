// Lecture snippet (lecture 1): cross-validation as independent tasks. 6 penalties x 5 folds =
// 30 lasso fits, none needing another's result, run one after another and then on a pool of
// threads that take the next (penalty, fold) pair from a counter. Both give the same table.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "cpu_time.hpp"

constexpr std::size_t kRows = 20640, kFeatures = 8, kFolds = 5, kSweeps = 10;
const std::vector<double> kPenalties = {0.001, 0.01, 0.1, 0.5, 1.0, 2.0};

struct Data {
  std::vector<double> x;  // row-major, kRows x kFeatures
  std::vector<double> y;
};

Data make_data() {  // y = x . beta + noise, with half of beta zero: something for the lasso to find
  const double beta[kFeatures] = {1.5, -2.0, 0.0, 0.7, 0.0, 0.0, 3.0, 0.0};
  std::mt19937_64 rng(141);
  std::normal_distribution<double> normal(0.0, 1.0);
  Data d{std::vector<double>(kRows * kFeatures), std::vector<double>(kRows)};
  for (std::size_t i = 0; i < kRows; ++i) {
    for (std::size_t j = 0; j < kFeatures; ++j) d.x[i * kFeatures + j] = normal(rng);
    d.y[i] = normal(rng);
    for (std::size_t j = 0; j < kFeatures; ++j) d.y[i] += beta[j] * d.x[i * kFeatures + j];
  }
  return d;
}

// Lasso without intercept by coordinate descent: minimizes |y - Xb|^2 / 2n + penalty * |b|_1
// over the rows that are not in `fold`. Reads `d`, shares nothing else: safe on any thread.
std::vector<double> fit(const Data& d, double penalty, std::size_t fold) {
  std::vector<double> b(kFeatures, 0.0);
  std::vector<double> r = d.y;  // residuals y - Xb (b starts at 0)
  const auto train = [fold](std::size_t i) { return i % kFolds != fold; };
  for (std::size_t sweep = 0; sweep < kSweeps; ++sweep) {
    for (std::size_t j = 0; j < kFeatures; ++j) {
      double rho = 0, z = 0, n = 0;
      for (std::size_t i = 0; i < kRows; ++i) {
        if (!train(i)) continue;
        const double xij = d.x[i * kFeatures + j];
        rho += xij * (r[i] + xij * b[j]);
        z += xij * xij;
        n += 1;
      }
      const double shrunk = std::copysign(std::max(std::abs(rho / n) - penalty, 0.0), rho);
      const double updated = shrunk / (z / n);
      for (std::size_t i = 0; i < kRows; ++i) r[i] -= d.x[i * kFeatures + j] * (updated - b[j]);
      b[j] = updated;
    }
  }
  return b;
}

double validation_mse(const Data& d, const std::vector<double>& b, std::size_t fold) {
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = fold; i < kRows; i += kFolds, ++n) {
    double predicted = 0;
    for (std::size_t j = 0; j < kFeatures; ++j) predicted += d.x[i * kFeatures + j] * b[j];
    sum += (d.y[i] - predicted) * (d.y[i] - predicted);
  }
  return sum / static_cast<double>(n);
}

// Task t is (penalty t / kFolds, fold t % kFolds); mse[t] is its validation error.
double run_task(const Data& d, std::size_t t) {
  const std::size_t fold = t % kFolds;
  return validation_mse(d, fit(d, kPenalties[t / kFolds], fold), fold);
}

std::vector<double> cross_validate_sequential(const Data& d) {
  std::vector<double> mse(kPenalties.size() * kFolds);
  for (std::size_t t = 0; t < mse.size(); ++t) mse[t] = run_task(d, t);
  return mse;
}

std::vector<double> cross_validate_threads(const Data& d, unsigned threads) {
  std::vector<double> mse(kPenalties.size() * kFolds);
  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> pool;
    for (unsigned w = 0; w < threads; ++w) {
      pool.emplace_back([&] {
        for (std::size_t t = next++; t < mse.size(); t = next++) mse[t] = run_task(d, t);
      });
    }
  }
  return mse;
}

std::size_t best_penalty(const std::vector<double>& mse) {  // smallest mean over the folds
  std::vector<double> mean(kPenalties.size(), 0.0);
  for (std::size_t t = 0; t < mse.size(); ++t) mean[t / kFolds] += mse[t] / kFolds;
  for (std::size_t p = 0; p < mean.size(); ++p) std::printf("penalty %-5g mean MSE %.4f\n", kPenalties[p], mean[p]);
  return static_cast<std::size_t>(std::min_element(mean.begin(), mean.end()) - mean.begin());
}

template <typename F>
std::vector<double> timed(const char* label, F run) {
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<double> mse = run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("30 fits, %-10s %.3f s wall, cores busy %.2f\n", label, wall, (cpu_seconds() - cpu0) / wall);
  return mse;
}

int main() {
  const Data data = make_data();
  const unsigned cores = std::thread::hardware_concurrency();
  const std::vector<double> one = timed("sequential", [&] { return cross_validate_sequential(data); });
  char label[32];
  std::snprintf(label, sizeof label, "%u threads", cores);
  const std::vector<double> many = timed(label, [&] { return cross_validate_threads(data, cores); });

  const std::size_t best = best_penalty(many);
  std::printf("best penalty %g\n", kPenalties[best]);
  return one == many ? 0 : 1;  // the same 30 numbers, bit for bit: each fit ran alone either way
}
