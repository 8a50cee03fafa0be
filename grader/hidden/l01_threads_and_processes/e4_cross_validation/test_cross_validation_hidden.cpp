// Test: exercise 1.4 cross_validation, hidden tests run by the grader.
//
// Each case compares cross_validate() with the baseline cross_validate_sequential() on the
// same data and configuration, bit for bit (==), for several worker counts. The data sets are
// small and the sweeps few, so that the cases stay quick under ThreadSanitizer. A test that
// runs past its PARLAB_WITHIN deadline means a worker never finished: a thread left waiting,
// a join that never returns, or a loop that never runs out of tasks.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cross_validation.hpp"
#include "cross_validation_testing.hpp"
#include "deadline.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::CrossValidationConfig;
using parlab::CrossValidationResult;
using parlab::Dataset;

constexpr const char* kHang =
    "cross_validate never returned: a worker that never finished or a join that waits forever";

CrossValidationConfig config_with(std::vector<double> strengths, std::size_t folds, std::size_t sweeps = 20) {
  CrossValidationConfig config;
  config.strengths = std::move(strengths);
  config.folds = folds;
  config.lasso.max_sweeps = sweeps;
  return config;
}

// cross_validate(data, config, w) equals the baseline for every w listed; returns the baseline.
CrossValidationResult expect_like_baseline(const Dataset& data, const CrossValidationConfig& config,
                                           std::initializer_list<unsigned> worker_counts) {
  CrossValidationResult expected = parlab::cross_validate_sequential(data, config);
  for (unsigned workers : worker_counts) {
    SCOPED_TRACE("workers = " + std::to_string(workers));
    EXPECT_EQ(parlab::cross_validate(data, config, workers), expected) << "must be equal bit for bit";
  }
  return expected;
}

// The housing data with one more column, set to `value` on every row.
Dataset with_constant_column(const Dataset& data, double value) {
  Dataset out = data;
  out.features += 1;
  out.x.insert(out.x.end(), data.rows, value);
  return out;
}

TEST(CrossValidateHidden, RowsNotDivisibleByFolds) {
  PARLAB_WITHIN(40s, kHang) {
    expect_like_baseline(parlab::make_housing_like(997, 21), config_with({0.001, 0.1, 1.0}, 5), {2, 3, 7});
    expect_like_baseline(parlab::make_housing_like(1001, 22), config_with({0.01, 0.5}, 3), {2, 4});
  };
}

TEST(CrossValidateHidden, OneValueGrid) {
  PARLAB_WITHIN(40s, kHang) {
    const auto result = expect_like_baseline(parlab::make_housing_like(800, 23), config_with({0.1}, 5), {1, 2, 5, 9});
    EXPECT_EQ(result.best, 0u);
    EXPECT_EQ(result.best_strength, 0.1);
  };
}

TEST(CrossValidateHidden, TwoFolds) {
  PARLAB_WITHIN(40s, kHang) {
    expect_like_baseline(parlab::make_housing_like(1200, 24), config_with({0.001, 0.01, 0.1, 0.5, 1.0, 2.0}, 2),
                         {2, 3, 12});
  };
}

TEST(CrossValidateHidden, ConstantColumn) {
  PARLAB_WITHIN(40s, kHang) {
    const Dataset housing = parlab::make_housing_like(900, 25);
    // A column of ones plays the intercept that the model does not fit on its own.
    expect_like_baseline(with_constant_column(housing, 1.0), config_with({0.001, 0.1, 1.0}, 5), {2, 4});
    // A column of zeros carries nothing: its coefficient stays 0, and nothing divides by 0.
    const auto result =
        expect_like_baseline(with_constant_column(housing, 0.0), config_with({0.001, 0.1, 1.0}, 5), {2, 4});
    ASSERT_EQ(result.coefficients.size(), 9u);
    EXPECT_EQ(result.coefficients[8], 0.0);
    for (const double v : result.mse) EXPECT_TRUE(std::isfinite(v));
  };
}

TEST(CrossValidateHidden, MoreWorkersThanTasks) {
  PARLAB_WITHIN(40s, kHang) {
    expect_like_baseline(parlab::make_housing_like(600, 26), config_with({0.001, 0.01, 0.1, 0.5, 1.0, 2.0}, 5),
                         {31, 64});
    expect_like_baseline(parlab::make_housing_like(400, 27), config_with({0.5}, 2), {3, 500});
  };
}

TEST(CrossValidateHidden, OneWorker) {
  PARLAB_WITHIN(40s, kHang) {
    expect_like_baseline(parlab::make_housing_like(700, 28), config_with({0.01, 1.0}, 4), {1});
  };
}

TEST(CrossValidateHidden, AsManyFoldsAsRows) {
  // Leave-one-out: every test fold is a single row.
  PARLAB_WITHIN(40s, kHang) {
    expect_like_baseline(parlab::make_housing_like(40, 29), config_with({0.01, 0.5}, 40), {2, 3, 80});
    expect_like_baseline(parlab::make_housing_like(5, 30), config_with({0.1}, 5), {2, 5});
  };
}

TEST(CrossValidateHidden, ManyFolds) {
  PARLAB_WITHIN(40s, kHang) {
    expect_like_baseline(parlab::make_housing_like(1000, 31), config_with({0.001, 0.1, 2.0}, 17), {2, 5});
  };
}

TEST(CrossValidateHidden, TiesGoToTheFirstStrength) {
  PARLAB_WITHIN(40s, kHang) {
    // The same strength twice gives the same error twice; the first one wins.
    const auto result =
        expect_like_baseline(parlab::make_housing_like(500, 32), config_with({0.5, 0.001, 0.001, 2.0}, 5), {2, 3});
    EXPECT_EQ(result.mse[1], result.mse[2]);
    EXPECT_EQ(result.best, 1u);
    // A penalty so strong that every coefficient is 0: every strength ties, the first wins.
    const auto flat = expect_like_baseline(parlab::make_housing_like(500, 33), config_with({1e6, 1e7, 1e8}, 5), {2, 3});
    EXPECT_EQ(flat.best, 0u);
    EXPECT_EQ(flat.coefficients, std::vector<double>(8, 0.0));
  };
}

TEST(CrossValidateHidden, UnsortedGridAndZeroStrength) {
  PARLAB_WITHIN(40s, kHang) {
    expect_like_baseline(parlab::make_housing_like(800, 34), config_with({2.0, 0.0, 0.5, 0.01}, 5), {2, 3, 4});
  };
}

TEST(CrossValidateHidden, FullSizeDefaultsFewSweeps) {
  // The lecture's shape (20,640 rows, 6 strengths, 5 folds), with 4 sweeps per fit.
  PARLAB_WITHIN(50s, kHang) {
    expect_like_baseline(parlab::make_housing_like(20640, 35), config_with({0.001, 0.01, 0.1, 0.5, 1.0, 2.0}, 5, 4),
                         {2, 4});
  };
}

TEST(CrossValidateHidden, AnotherShapeOfData) {
  // Not the housing generator: 3 features, targets an exact plane plus a little noise.
  PARLAB_WITHIN(40s, kHang) {
    Dataset data;
    data.rows = 301;
    data.features = 3;
    std::uint64_t state = 99;
    auto draw = [&state] {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<double>(state >> 11) * 0x1.0p-53 - 0.5;
    };
    for (std::size_t v = 0; v < data.rows * data.features; ++v) data.x.push_back(draw());
    for (std::size_t i = 0; i < data.rows; ++i) {
      data.y.push_back(3.0 * data.at(i, 0) - 2.0 * data.at(i, 2) + 0.01 * draw());
    }
    const auto result = expect_like_baseline(data, config_with({0.0, 0.001, 0.05, 0.3}, 7, 50), {2, 3, 5});
    EXPECT_LT(result.best, 2u) << "weak penalties fit an exact plane best";
  };
}

TEST(CrossValidateHidden, TooFewRows) {
  const CrossValidationConfig five_folds = config_with({0.1}, 5);
  for (const std::size_t rows : {0u, 1u, 4u}) {
    const Dataset data = parlab::make_housing_like(rows, 36);
    EXPECT_THROW(parlab::cross_validate(data, five_folds, 2), std::invalid_argument) << rows << " rows";
    EXPECT_THROW(parlab::cross_validate_sequential(data, five_folds), std::invalid_argument) << rows << " rows";
  }
  EXPECT_THROW(parlab::cross_validate(parlab::make_housing_like(1, 36), config_with({0.1}, 2), 4),
               std::invalid_argument);
}

TEST(CrossValidateHidden, InvalidArgumentsAreRejected) {
  const Dataset data = parlab::make_housing_like(100, 37);
  EXPECT_THROW(parlab::cross_validate(data, config_with({0.1}, 5), 0), std::invalid_argument);
  EXPECT_THROW(parlab::cross_validate(data, config_with({}, 5), 2), std::invalid_argument);
  EXPECT_THROW(parlab::cross_validate(data, config_with({0.1}, 1), 2), std::invalid_argument);
  EXPECT_THROW(parlab::cross_validate(data, config_with({0.1}, 0), 2), std::invalid_argument);
  EXPECT_THROW(parlab::cross_validate(data, config_with({0.1, -0.5}, 5), 2), std::invalid_argument);
  EXPECT_THROW(parlab::cross_validate(data, config_with({std::nan("")}, 5), 2), std::invalid_argument);
  EXPECT_THROW(parlab::cross_validate(data, config_with({std::numeric_limits<double>::infinity()}, 5), 2),
               std::invalid_argument);
  CrossValidationConfig negative_tolerance = config_with({0.1}, 5);
  negative_tolerance.lasso.tolerance = -1.0;
  EXPECT_THROW(parlab::cross_validate(data, negative_tolerance, 2), std::invalid_argument);
  Dataset short_y = data;
  short_y.y.pop_back();
  EXPECT_THROW(parlab::cross_validate(short_y, config_with({0.1}, 5), 2), std::invalid_argument);
  Dataset no_features;
  no_features.rows = 10;
  no_features.y.assign(10, 1.0);
  EXPECT_THROW(parlab::cross_validate(no_features, config_with({0.1}, 5), 2), std::invalid_argument);
}

TEST(CrossValidateHidden, CallsFromSeveralThreadsAtOnce) {
  // The header promises thread safety: nothing may be shared between calls.
  PARLAB_WITHIN(50s, kHang) {
    const Dataset data = parlab::make_housing_like(600, 38);
    const auto config = config_with({0.001, 0.1, 1.0}, 5);
    const auto expected = parlab::cross_validate_sequential(data, config);
    std::vector<CrossValidationResult> got(3);
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < got.size(); ++c) {
        callers.emplace_back([&, c] { got[c] = parlab::cross_validate(data, config, 3); });
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c) EXPECT_EQ(got[c], expected) << "caller " << c;
  };
}

TEST(CrossValidateHidden, RepeatedCallsGiveTheSameBits) {
  // Adding the fold errors in the order the fits finish gives a different last bit now and
  // then; repeat to give it a chance to show.
  PARLAB_WITHIN(50s, kHang) {
    const Dataset data = parlab::make_housing_like(503, 39);
    const auto config = config_with({0.001, 0.01, 0.1, 0.5, 1.0, 2.0}, 7, 8);
    const auto expected = parlab::cross_validate_sequential(data, config);
    for (int round = 0; round < 8; ++round) {
      EXPECT_EQ(parlab::cross_validate(data, config, 4), expected) << "round " << round;
    }
  };
}

}  // namespace
