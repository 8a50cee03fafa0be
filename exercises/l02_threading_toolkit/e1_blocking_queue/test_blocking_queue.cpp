// Test: exercise 2.1 blocking_queue, public tests. You may add your own.
//
// The contract tests on one thread run against both queues, the baseline and yours; the
// concurrency tests run against yours. A test that runs past its PARLAB_WITHIN deadline means a
// thread waits forever: a notify that never comes, or a wait whose condition never holds.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "blocking_queue.hpp"
#include "blocking_queue_testing.hpp"
#include "deadline.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::BlockingQueue;
using parlab::Item;
using parlab::QueueClosed;
using parlab::testing::kHang;
using Clock = std::chrono::steady_clock;

template <typename Queue>
class QueueContract : public ::testing::Test {};

struct QueueName {
  template <typename Queue>
  static std::string GetName(int) {
    return std::is_same_v<Queue, parlab::PollingQueue> ? "Polling" : "Blocking";
  }
};

using BothQueues = ::testing::Types<parlab::PollingQueue, parlab::BlockingQueue>;
TYPED_TEST_SUITE(QueueContract, BothQueues, QueueName);

TYPED_TEST(QueueContract, FirstInFirstOut) {
  PARLAB_WITHIN(10s, kHang) {
    TypeParam queue(10);
    EXPECT_EQ(queue.capacity(), 10u);
    EXPECT_EQ(queue.size(), 0u);
    for (Item item : {5, 3, 9, 0, 7}) queue.push(item);
    EXPECT_EQ(queue.size(), 5u);
    for (Item item : {5, 3, 9, 0, 7}) EXPECT_EQ(queue.pop(), item);
    EXPECT_EQ(queue.size(), 0u);
  };
}

TYPED_TEST(QueueContract, TryVariantsNeverWait) {
  PARLAB_WITHIN(10s, kHang) {
    TypeParam queue(2);
    EXPECT_EQ(queue.try_pop(), std::nullopt) << "an empty queue has nothing to pop";
    EXPECT_TRUE(queue.try_push(1));
    EXPECT_TRUE(queue.try_push(2));
    EXPECT_FALSE(queue.try_push(3)) << "a queue of capacity 2 holding 2 items is full";
    EXPECT_EQ(queue.size(), 2u);
    EXPECT_EQ(queue.try_pop(), 1u);
    EXPECT_TRUE(queue.try_push(4));
    EXPECT_EQ(queue.try_pop(), 2u);
    EXPECT_EQ(queue.try_pop(), 4u);
    EXPECT_EQ(queue.try_pop(), std::nullopt);
  };
}

TYPED_TEST(QueueContract, UnboundedNeverFills) {
  PARLAB_WITHIN(10s, kHang) {
    TypeParam queue;  // capacity 0: unbounded
    EXPECT_EQ(queue.capacity(), 0u);
    for (Item i = 0; i < 10'000; ++i) ASSERT_TRUE(queue.try_push(i)) << "an unbounded queue refused item " << i;
    EXPECT_EQ(queue.size(), 10'000u);
  };
}

TYPED_TEST(QueueContract, ClosedQueueDrainsThenEnds) {
  PARLAB_WITHIN(10s, kHang) {
    TypeParam queue(5);
    queue.push(1);
    queue.push(2);
    EXPECT_FALSE(queue.closed());
    queue.close();
    EXPECT_TRUE(queue.closed());
    EXPECT_THROW(queue.push(3), QueueClosed);
    EXPECT_THROW(queue.try_push(3), QueueClosed);
    EXPECT_THROW(queue.push_for(3, 10ms), QueueClosed);
    EXPECT_EQ(queue.pop(), 1u) << "items pushed before close() are still popped";
    EXPECT_EQ(queue.pop_for(10s), 2u);
    EXPECT_EQ(queue.pop(), std::nullopt) << "closed and empty: the end";
    EXPECT_EQ(queue.pop_for(60s), std::nullopt) << "closed and empty: the end, at once";
    EXPECT_EQ(queue.try_pop(), std::nullopt);
    queue.close();  // a second close does nothing
    EXPECT_TRUE(queue.closed());
  };
}

TYPED_TEST(QueueContract, TaskDoneTooOftenThrows) {
  PARLAB_WITHIN(10s, kHang) {
    TypeParam queue;
    EXPECT_THROW(queue.task_done(), std::logic_error) << "nothing was pushed, so nothing can be done";
    queue.push(1);
    queue.push(2);
    ASSERT_EQ(queue.pop(), 1u);
    queue.task_done();
    queue.task_done();  // counts pushes, not pops: item 2 may be marked done while still queued
    EXPECT_THROW(queue.task_done(), std::logic_error);
    queue.join();  // nothing unfinished: returns at once
  };
}

TEST(BlockingQueue, PopWaitsForAPush) {
  PARLAB_WITHIN(10s, kHang) {
    BlockingQueue queue(4);
    std::atomic<bool> returned{false};
    std::optional<Item> got;
    std::jthread consumer([&] {
      got = queue.pop();
      returned = true;
    });
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(returned.load()) << "pop() on an empty, open queue returned instead of waiting";
    queue.push(42);
    consumer.join();
    EXPECT_EQ(got, 42u);
  };
}

TEST(BlockingQueue, PushWaitsForRoom) {
  PARLAB_WITHIN(10s, kHang) {
    BlockingQueue queue(1);
    queue.push(1);
    std::atomic<bool> returned{false};
    std::jthread producer([&] {
      queue.push(2);
      returned = true;
    });
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(returned.load()) << "push() on a full queue returned instead of waiting";
    EXPECT_EQ(queue.size(), 1u) << "capacity 1 exceeded";
    EXPECT_EQ(queue.pop(), 1u);
    producer.join();
    EXPECT_EQ(queue.pop(), 2u);
  };
}

TEST(BlockingQueue, CloseWakesEveryBlockedConsumer) {
  PARLAB_WITHIN(10s, "close() left a consumer waiting: it must wake every thread blocked in pop()") {
    BlockingQueue queue(4);
    std::vector<std::optional<Item>> got(4, Item{99});
    {
      std::vector<std::jthread> consumers;
      for (auto& slot : got) consumers.emplace_back([&queue, &slot] { slot = queue.pop(); });
      std::this_thread::sleep_for(100ms);
      queue.close();
    }
    for (const auto& slot : got) EXPECT_EQ(slot, std::nullopt);
  };
}

TEST(BlockingQueue, JoinWaitsForEveryTaskDone) {
  PARLAB_WITHIN(10s, "join() never returned after every item was marked done") {
    BlockingQueue queue;
    for (Item i = 0; i < 3; ++i) queue.push(i);
    std::atomic<bool> joined{false};
    std::jthread joiner([&] {
      queue.join();
      joined = true;
    });
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(queue.pop().has_value());
      queue.task_done();
    }
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(joined.load()) << "join() returned with one task unfinished";
    ASSERT_TRUE(queue.pop().has_value());
    queue.task_done();
    joiner.join();
    EXPECT_TRUE(joined.load());
  };
}

TEST(BlockingQueue, TimedVariantsGiveUpAfterTheirTimeout) {
  PARLAB_WITHIN(10s, kHang) {
    BlockingQueue queue(1);
    auto start = Clock::now();
    EXPECT_EQ(queue.pop_for(50ms), std::nullopt);
    EXPECT_GE(Clock::now() - start, 50ms) << "pop_for() gave up before its timeout";
    queue.push(1);
    start = Clock::now();
    EXPECT_FALSE(queue.push_for(2, 50ms));
    EXPECT_GE(Clock::now() - start, 50ms) << "push_for() gave up before its timeout";
    EXPECT_EQ(queue.pop_for(50ms), 1u);
    EXPECT_TRUE(queue.push_for(3, 50ms));
  };
}

TEST(BlockingQueue, ManyProducersManyConsumersLoseNothing) {
  PARLAB_WITHIN(30s, kHang) {
    const parlab::testing::StressPlan plan{.capacity = 8, .producers = 4, .consumers = 4, .per_producer = 2000};
    BlockingQueue queue(plan.capacity);
    const auto outcome = parlab::testing::run_stress(queue, plan);
    parlab::testing::expect_same_items(outcome.pushed, outcome.popped);
    parlab::testing::expect_fifo_per_producer(outcome.popped);
    EXPECT_LE(outcome.largest_size, plan.capacity) << "size() exceeded the capacity";
    EXPECT_EQ(outcome.done_at_join, std::size_t{plan.producers} * plan.per_producer)
        << "join() returned before every item was marked done";
  };
}

TEST(BlockingQueue, BlockedConsumerUsesAlmostNoCpu) {
  PARLAB_WITHIN(10s, kHang) {
    BlockingQueue queue;
    std::chrono::microseconds used{};
    std::optional<Item> got;
    std::jthread consumer([&] {
      const auto before = parlab::testing::thread_cpu_time();
      got = queue.pop();
      used = parlab::testing::thread_cpu_time() - before;
    });
    std::this_thread::sleep_for(300ms);
    queue.push(7);
    consumer.join();
    EXPECT_EQ(got, 7u);
    EXPECT_LT(used, parlab::testing::kWaitCpuBudget)
        << "a consumer waiting 300 ms in pop() used " << used.count()
        << " us of CPU: it spins or yields instead of sleeping until notified";
  };
}

}  // namespace
