// Test: exercise 1.3 process_pool, public tests. You may add your own.
//
// Every call starts real worker processes from the build's process_pool_worker, whose path the
// build passes as PARLAB_PROGRAM_PROCESS_POOL_WORKER. Answers are checked against problem()
// computed right here, in this process. A test that runs past its PARLAB_WITHIN deadline means the
// pool stopped making progress: a thread waiting for an answer that never comes, two processes
// each blocked on a full pipe, or a wait for a worker that never exits.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <system_error>
#include <vector>

#include "deadline.hpp"
#include "pool_protocol.hpp"
#include "process_pool.hpp"
#include "process_pool_testing.hpp"

namespace {

using parlab::testing::expect_same;
using parlab::testing::expected_for;
using parlab::testing::ScopedEnv;

using namespace std::chrono_literals;

const std::string kWorker = PARLAB_PROGRAM_PROCESS_POOL_WORKER;

constexpr const char* kHang =
    "process_pool never returned: a worker never answered, a pipe filled up on both sides, or a "
    "worker was never told to finish";

TEST(ProcessPool, SmallNumbersForSeveralWorkerCounts) {
  PARLAB_WITHIN(30s, kHang) {
    const std::vector<std::uint64_t> numbers = {0, 1, 2, 3, 1000, 65536, 123457, 7};
    const auto expected = expected_for(numbers);
    for (unsigned workers : {1u, 2u, 3u, 8u}) {
      SCOPED_TRACE("workers = " + std::to_string(workers));
      expect_same(parlab::process_pool(numbers, workers, kWorker), expected);
    }
  };
}

TEST(ProcessPool, MatchesTheBaselineNearFiveMillion) {
  PARLAB_WITHIN(30s, kHang) {
    std::vector<std::uint64_t> numbers;
    for (std::uint64_t x = 0; x < 6; ++x) numbers.push_back(5'000'000 + x);
    const auto expected = parlab::process_pool_sequential(numbers, kWorker);
    expect_same(expected, expected_for(numbers));
    expect_same(parlab::process_pool(numbers, 2, kWorker), expected);
  };
}

TEST(ProcessPool, ResultsComeBackInInputOrder) {
  PARLAB_WITHIN(30s, kHang) {
    // The first tasks are the longest, so with several workers the short ones finish first.
    const std::vector<std::uint64_t> numbers = {6'000'000, 4'000'000, 2'000'000, 1'000, 10, 0};
    expect_same(parlab::process_pool(numbers, 3, kWorker), expected_for(numbers));
  };
}

TEST(ProcessPool, DuplicatesAreComputedAsOftenAsListed) {
  PARLAB_WITHIN(30s, kHang) {
    const std::vector<std::uint64_t> numbers(7, 250'000);
    expect_same(parlab::process_pool(numbers, 3, kWorker), expected_for(numbers));
  };
}

TEST(ProcessPool, MoreWorkersThanNumbers) {
  PARLAB_WITHIN(30s,
                "more workers than numbers and process_pool never returned: a worker with nothing "
                "to do was never told to finish") {
    const std::vector<std::uint64_t> numbers = {11, 22, 33};
    expect_same(parlab::process_pool(numbers, 16, kWorker), expected_for(numbers));
  };
}

TEST(ProcessPool, ManySmallTasks) {
  PARLAB_WITHIN(30s, kHang) {
    std::vector<std::uint64_t> numbers;
    for (std::uint64_t i = 0; i < 2000; ++i) numbers.push_back(i % 97);
    expect_same(parlab::process_pool(numbers, 2, kWorker), expected_for(numbers));
  };
}

TEST(ProcessPool, EmptyListStartsNothing) {
  PARLAB_WITHIN(10s, kHang) {
    EXPECT_TRUE(parlab::process_pool({}, 1, kWorker).empty());
    EXPECT_TRUE(parlab::process_pool({}, 8, kWorker).empty());
    // No task, no process: even a program that does not exist is never started.
    EXPECT_TRUE(parlab::process_pool({}, 2, "/nonexistent/parlab/worker").empty());
  };
}

TEST(ProcessPool, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::process_pool({1, 2}, 0, kWorker), std::invalid_argument);
}

TEST(ProcessPool, MissingWorkerProgramThrows) {
  PARLAB_WITHIN(10s, kHang) {
    EXPECT_THROW(parlab::process_pool({1, 2, 3}, 2, "/nonexistent/parlab/worker"), std::system_error);
  };
}

TEST(ProcessPool, WorkerCrashNamesTheTask) {
  PARLAB_WITHIN(30s,
                "process_pool never returned after a worker crashed: a thread still waits "
                "for an answer from a dead worker, or for a worker nobody stopped") {
    std::vector<std::uint64_t> numbers;
    for (std::uint64_t i = 0; i < 8; ++i) numbers.push_back(100'000 + i);
    const ScopedEnv crash(parlab::pool::kCrashOnVariable, std::to_string(numbers[3]));
    try {
      parlab::process_pool(numbers, 2, kWorker);
      ADD_FAILURE() << "the worker crashed on task 3, yet process_pool returned";
    } catch (const parlab::WorkerError& e) {
      EXPECT_EQ(e.task(), 3u) << e.what();
      EXPECT_NE(std::string(e.what()).find("task 3"), std::string::npos)
          << "the message must name the task: " << e.what();
    }
  };
}

}  // namespace
