// Test: exercise 1.4 cross_validation, public tests. You may add your own.
//
// cross_validate() must equal cross_validate_sequential() bit for bit, so results are compared
// with ==, never with a tolerance. The data sets here are small (a few thousand rows, few
// sweeps) so that the tests stay quick under ThreadSanitizer. A test that runs past its
// PARLAB_WITHIN deadline means a worker never finished: a thread left waiting, a join that
// never returns, or a loop that never runs out of tasks.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cross_validation.hpp"
#include "cross_validation_testing.hpp"
#include "deadline.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::CrossValidationConfig;
using parlab::Dataset;

constexpr const char* kHang =
    "cross_validate never returned: a worker that never finished or a join that waits forever";

// The lecture's grid and folds, with fewer sweeps per fit: quick, and just as exact.
CrossValidationConfig quick_config() {
  CrossValidationConfig config;
  config.lasso.max_sweeps = 25;
  return config;
}

// Two columns and four rows, y = 2 x0 - x1, the columns orthogonal: coordinate descent lands
// on the exact answer in one sweep, so the coefficients are known in closed form.
Dataset two_orthogonal_columns() {
  Dataset data;
  data.rows = 4;
  data.features = 2;
  data.x = {1, 0, 1, 0,   // x0
            0, 1, 0, 1};  // x1
  data.y = {2, -1, 2, -1};
  return data;
}

TEST(MakeHousingLike, IsAPureFunctionOfRowsAndSeed) {
  const Dataset a = parlab::make_housing_like(500, 7);
  EXPECT_EQ(a.rows, 500u);
  EXPECT_EQ(a.features, 8u);
  EXPECT_EQ(a.x.size(), 500u * 8u);
  EXPECT_EQ(a.y.size(), 500u);
  EXPECT_TRUE(a == parlab::make_housing_like(500, 7)) << "same rows and seed, same data";
  EXPECT_FALSE(a == parlab::make_housing_like(500, 8)) << "another seed, other data";
}

TEST(MakeHousingLike, LooksLikeCaliforniaHousing) {
  const Dataset data = parlab::make_housing_like(20640, 1);
  const double low[] = {0.4999, 1, 0.85, 0.33, 3, 0.69, 32.54, -124.35};
  const double high[] = {15.0001, 52, 141.9, 34.07, 35682, 1243, 41.95, -114.31};
  for (std::size_t j = 0; j < data.features; ++j) {
    for (std::size_t i = 0; i < data.rows; ++i) {
      ASSERT_GE(data.at(i, j), low[j]) << parlab::kHousingFeatures[j] << ", row " << i;
      ASSERT_LE(data.at(i, j), high[j]) << parlab::kHousingFeatures[j] << ", row " << i;
    }
  }
  double sum = 0;
  for (const double v : data.y) {
    ASSERT_GE(v, 0.14999);
    ASSERT_LE(v, 5.00001);
    sum += v;
  }
  EXPECT_NEAR(sum / static_cast<double>(data.rows), 2.07, 0.1) << "the real data's mean house value is 2.07";
}

TEST(SplitFold, FoldsAreConsecutiveBlocks) {
  Dataset data;
  data.rows = 10;
  data.features = 2;
  for (int v = 0; v < 20; ++v) data.x.push_back(v);  // column 0: 0..9, column 1: 10..19
  for (int v = 0; v < 10; ++v) data.y.push_back(100 + v);
  // 10 rows in 3 folds: rows [0, 3), [3, 6), [6, 10).
  const auto split = parlab::split_fold(data, 3, 1);
  EXPECT_EQ(split.test.rows, 3u);
  EXPECT_EQ(split.test.x, (std::vector<double>{3, 4, 5, 13, 14, 15}));
  EXPECT_EQ(split.test.y, (std::vector<double>{103, 104, 105}));
  EXPECT_EQ(split.train.rows, 7u);
  EXPECT_EQ(split.train.x, (std::vector<double>{0, 1, 2, 6, 7, 8, 9, 10, 11, 12, 16, 17, 18, 19}));
  EXPECT_EQ(split.train.y, (std::vector<double>{100, 101, 102, 106, 107, 108, 109}));
  EXPECT_EQ(parlab::split_fold(data, 3, 2).test.rows, 4u);
}

TEST(FitLasso, KnownCoefficients) {
  const Dataset data = two_orthogonal_columns();
  const parlab::LassoOptions options;
  // Unpenalized: the exact plane. Penalized: each coefficient shrunk by strength / 0.5
  // (0.5 = mean of x_j^2), and set to 0 once the penalty outweighs the fit.
  EXPECT_EQ(parlab::fit_lasso(data, 0.0, options), (std::vector<double>{2.0, -1.0}));
  const auto shrunk = parlab::fit_lasso(data, 0.1, options);
  EXPECT_DOUBLE_EQ(shrunk[0], 1.8);
  EXPECT_DOUBLE_EQ(shrunk[1], -0.8);
  EXPECT_EQ(parlab::fit_lasso(data, 0.6, options)[1], 0.0);
  EXPECT_EQ(parlab::fit_lasso(data, 1.0, options), (std::vector<double>{0.0, 0.0}));
  EXPECT_DOUBLE_EQ(parlab::mean_squared_error(data, {2.0, -1.0}), 0.0);
  EXPECT_DOUBLE_EQ(parlab::mean_squared_error(data, {0.0, 0.0}), 2.5);
}

TEST(CrossValidate, MatchesSequentialForSeveralWorkerCounts) {
  PARLAB_WITHIN(40s, kHang) {
    const Dataset data = parlab::make_housing_like(1500, 3);
    const auto config = quick_config();
    const auto expected = parlab::cross_validate_sequential(data, config);
    for (unsigned workers : {1u, 2u, 3u, 8u}) {
      SCOPED_TRACE("workers = " + std::to_string(workers));
      EXPECT_EQ(parlab::cross_validate(data, config, workers), expected) << "must be equal bit for bit";
    }
  };
}

TEST(CrossValidate, ResultDescribesTheGrid) {
  PARLAB_WITHIN(40s, kHang) {
    const Dataset data = parlab::make_housing_like(2000, 11);
    const auto config = quick_config();
    const auto result = parlab::cross_validate(data, config, 4);
    ASSERT_EQ(result.mse.size(), config.strengths.size()) << "one error per strength";
    for (std::size_t s = 0; s < result.mse.size(); ++s) {
      EXPECT_TRUE(std::isfinite(result.mse[s])) << "strength " << config.strengths[s];
      EXPECT_GT(result.mse[s], 0.0) << "a noisy target leaves some error";
      EXPECT_LE(result.mse[result.best], result.mse[s]) << "best must have the lowest error";
    }
    EXPECT_EQ(result.best_strength, config.strengths[result.best]);
    ASSERT_EQ(result.coefficients.size(), 8u) << "one coefficient per feature";
    EXPECT_EQ(result.coefficients, parlab::fit_lasso(data, result.best_strength, config.lasso))
        << "the coefficients are the best strength refitted on every row";
    // A strong penalty fits worse than a weak one on this data, as in the lecture.
    EXPECT_LT(result.mse.front(), result.mse.back());
  };
}

TEST(CrossValidate, MoreWorkersThanFits) {
  PARLAB_WITHIN(20s, "more workers than fits and cross_validate never returned: an idle worker never stopped") {
    const Dataset data = parlab::make_housing_like(300, 5);
    CrossValidationConfig config = quick_config();
    config.strengths = {0.01, 0.5};
    config.folds = 2;  // 4 fits
    EXPECT_EQ(parlab::cross_validate(data, config, 16), parlab::cross_validate_sequential(data, config));
  };
}

TEST(CrossValidate, TooFewRowsIsRejected) {
  // Every test fold needs at least one row: 4 rows cannot make 5 folds.
  const Dataset data = parlab::make_housing_like(4, 1);
  const CrossValidationConfig config;
  EXPECT_THROW(parlab::cross_validate_sequential(data, config), std::invalid_argument);
  EXPECT_THROW(parlab::cross_validate(data, config, 2), std::invalid_argument);
  EXPECT_THROW(parlab::cross_validate(parlab::make_housing_like(0, 1), config, 2), std::invalid_argument);
}

TEST(CrossValidate, BadConfigurationsAreRejected) {
  const Dataset data = parlab::make_housing_like(100, 1);
  CrossValidationConfig no_grid;
  no_grid.strengths.clear();
  EXPECT_THROW(parlab::cross_validate(data, no_grid, 2), std::invalid_argument);
  CrossValidationConfig one_fold;
  one_fold.folds = 1;
  EXPECT_THROW(parlab::cross_validate(data, one_fold, 2), std::invalid_argument);
  CrossValidationConfig negative;
  negative.strengths = {0.1, -1.0};
  EXPECT_THROW(parlab::cross_validate(data, negative, 2), std::invalid_argument);
}

TEST(CrossValidate, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::cross_validate(parlab::make_housing_like(100, 1), quick_config(), 0), std::invalid_argument);
}

}  // namespace
