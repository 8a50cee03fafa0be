// Test: exercise 5.1 granularity, public tests. You may add your own.
//
// The known values were computed independently, with Python's unbounded integers reduced mod
// 2^64. A test that runs past its PARLAB_WITHIN deadline means a worker never finished: a thread
// left waiting, a join that never returns, or a loop that never runs out of chunks.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "deadline.hpp"
#include "granularity.hpp"
#include "granularity_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::Task;
using parlab::testing::equal_tasks;
using parlab::testing::expect_like_baseline;
using parlab::testing::kHang;
using parlab::testing::most_threads_added_by;
using parlab::testing::weighted_sum;
using Results = std::vector<std::uint64_t>;

TEST(RunTask, KnownValues) {
  EXPECT_EQ(parlab::run_task({0, 0}), 0u) << "cost 0: the seed itself";
  EXPECT_EQ(parlab::run_task({0, 12345}), 12345u) << "cost 0: the seed itself";
  EXPECT_EQ(parlab::run_task({1, 0}), 8027708214854509594u);
  EXPECT_EQ(parlab::run_task({1, 1}), 12497766553993467086u);
  EXPECT_EQ(parlab::run_task({8, 42}), 11964091504887241362u) << "the same 8 rounds as exercise 3.2's mixed_value";
  EXPECT_EQ(parlab::run_task({1000, 7}), 2643063735108384303u);
  EXPECT_EQ(parlab::run_task({500'000, 2024}), 5594113519369215074u);
}

TEST(RunTasks, WritesOneSlotPerTaskAndRejectsMismatchedSpans) {
  const std::vector<Task> tasks = {{1, 0}, {0, 12345}, {8, 42}};
  Results results(3, 99);
  parlab::run_tasks(tasks, results);
  EXPECT_EQ(results, (Results{8027708214854509594u, 12345u, 11964091504887241362u}));
  Results too_short(2, 99);
  EXPECT_THROW(parlab::run_tasks(tasks, too_short), std::invalid_argument);
  EXPECT_EQ(too_short, (Results{99, 99})) << "nothing may be written when the spans differ in size";
}

TEST(Workloads, TinyTasksAreKnownAndCheap) {
  EXPECT_EQ(parlab::tiny_tasks(5, 1), (std::vector<Task>{{398, 13757245211066428519u},
                                                         {453, 8196980753821780235u},
                                                         {237, 14072917602864530048u},
                                                         {230, 9648886400068060533u},
                                                         {453, 14646652180046636950u}}));
  for (const Task& task : parlab::tiny_tasks(10'000, 3)) {
    ASSERT_GE(task.cost, parlab::kTinyMinCost);
    ASSERT_LE(task.cost, parlab::kTinyMaxCost);
  }
  EXPECT_TRUE(parlab::tiny_tasks(0, 1).empty());
}

TEST(Workloads, HeavyTasksAreKnownAndSortedCheapestFirst) {
  EXPECT_EQ(parlab::heavy_tasks(5, 1), (std::vector<Task>{{892'076, 14646652180046636950u},
                                                          {1'662'517, 14072917602864530048u},
                                                          {2'484'596, 13757245211066428519u},
                                                          {5'468'775, 9648886400068060533u},
                                                          {6'619'928, 8196980753821780235u}}));
  const std::vector<Task> tasks = parlab::heavy_tasks(1000, 3);
  EXPECT_TRUE(std::is_sorted(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) { return a.cost < b.cost; }));
  EXPECT_GE(tasks.front().cost, parlab::kHeavyMinCost);
  EXPECT_LE(tasks.back().cost, parlab::kHeavyMaxCost);
}

TEST(MapTasksSequential, KnownValues) {
  EXPECT_EQ(weighted_sum(parlab::map_tasks_sequential(parlab::tiny_tasks(1000, 7))), 8177466928857221825u);
  EXPECT_EQ(weighted_sum(parlab::map_tasks_sequential(parlab::heavy_tasks(3, 9))), 10559433197793585498u);
  EXPECT_TRUE(parlab::map_tasks_sequential({}).empty());
}

TEST(MapTasks, TinyTasksMatchTheBaseline) {
  PARLAB_WITHIN(30s, kHang) { expect_like_baseline(parlab::tiny_tasks(100'000, 3), {1, 2, 3, 4, 8}); };
}

TEST(MapTasks, HeavyTasksMatchTheBaseline) {
  // 12 tasks of 1 to 20 ms: the workers finish at very different times.
  PARLAB_WITHIN(30s, kHang) { expect_like_baseline(parlab::heavy_tasks(12, 5), {1, 2, 3, 5}); };
}

TEST(MapTasks, KnownValues) {
  PARLAB_WITHIN(20s, kHang) {
    const std::vector<Task> tasks = parlab::tiny_tasks(1000, 7);
    for (const unsigned workers : {1u, 2u, 4u}) {
      EXPECT_EQ(weighted_sum(parlab::map_tasks(tasks, workers)), 8177466928857221825u) << workers << " workers";
    }
  };
}

TEST(MapTasks, EmptyListGivesNoResults) {
  PARLAB_WITHIN(10s, "map_tasks never returned on an empty list") {
    EXPECT_TRUE(parlab::map_tasks({}, 1).empty());
    EXPECT_TRUE(parlab::map_tasks({}, 8).empty());
  };
}

TEST(MapTasks, OneTask) {
  PARLAB_WITHIN(10s, kHang) {
    const std::vector<Task> one = {{8, 42}};
    for (const unsigned workers : {1u, 2u, 8u}) {
      EXPECT_EQ(parlab::map_tasks(one, workers), Results{11964091504887241362u}) << workers << " workers";
    }
  };
}

TEST(MapTasks, FewerTasksThanWorkers) {
  PARLAB_WITHIN(20s, "more workers than tasks and map_tasks never returned: an idle worker never stopped") {
    expect_like_baseline(parlab::tiny_tasks(3, 5), {4, 16});
    expect_like_baseline(parlab::heavy_tasks(2, 5), {3, 8});
  };
}

TEST(MapTasks, ZeroWorkersIsRejected) {
  const std::vector<Task> tasks = parlab::tiny_tasks(3, 1);
  EXPECT_THROW(parlab::map_tasks(tasks, 0), std::invalid_argument);
}

TEST(MapTasks, StartsNoMoreThreadsThanWorkers) {
  // 200 tasks of about 1.5 ms each: a thread or a std::async future per task would have
  // dozens of threads alive at once; the contract allows `workers` at most.
  PARLAB_WITHIN(60s, kHang) {
    const std::vector<Task> tasks = equal_tasks(200, 500'000);
    const Results expected = parlab::map_tasks_sequential(tasks);
    for (const unsigned workers : {1u, 3u}) {
      Results got;
      const std::size_t added = most_threads_added_by([&] { got = parlab::map_tasks(tasks, workers); });
      EXPECT_EQ(got, expected) << workers << " workers";
      EXPECT_LE(added, workers) << "with " << workers << " workers, map_tasks had " << added
                                << " threads of its own running at once";
    }
  };
}

}  // namespace
