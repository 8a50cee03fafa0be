// Given, do not modify: the baseline of exercise 2.1, PollingQueue, a correct queue that waits by polling.
//
// Every operation takes one mutex, so the queue is safe; but a thread that cannot go on yet
// (nothing to pop, no room to push, tasks unfinished) drops the lock, sleeps kPollInterval and
// looks again. Nobody tells it when things change. A handoff therefore waits up to a poll
// interval (more, since the kernel rounds sleeps up) before anyone notices it, and a waiting
// thread still wakes thousands of times a second to find nothing.
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "blocking_queue.hpp"

namespace parlab {
namespace {

using Clock = std::chrono::steady_clock;

// Short enough that the queue feels responsive, long enough that a waiting thread costs little
// CPU: each wait for a handoff lasts up to 200 us plus the kernel's timer slack (about 50 us).
constexpr auto kPollInterval = std::chrono::microseconds(200);

}  // namespace

struct PollingQueue::State {
  explicit State(std::size_t max_items) : capacity(max_items) {}

  // What one look at the queue found when popping.
  struct PopAttempt {
    std::optional<Item> item;
    bool final = false;  // an item, or a closed and empty queue: no reason to look again
  };

  // One attempt to push: false when full. Throws QueueClosed when closed.
  bool push_once(Item item) {
    std::lock_guard lock(mutex);
    if (closed) throw QueueClosed();
    if (capacity != 0 && items.size() >= capacity) return false;
    items.push_back(item);
    ++unfinished;
    return true;
  }

  PopAttempt pop_once() {
    std::lock_guard lock(mutex);
    if (items.empty()) return {std::nullopt, closed};
    const Item front = items.front();
    items.pop_front();
    return {front, true};
  }

  // Tries to push until it works or `deadline` passes.
  bool poll_push(Item item, Clock::time_point deadline) {
    while (!push_once(item)) {
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(kPollInterval);
    }
    return true;
  }

  // Tries to pop until it gets an item, the queue ends, or `deadline` passes.
  std::optional<Item> poll_pop(Clock::time_point deadline) {
    PopAttempt attempt = pop_once();
    while (!attempt.final && Clock::now() < deadline) {
      std::this_thread::sleep_for(kPollInterval);
      attempt = pop_once();
    }
    return attempt.item;
  }

  bool all_done() const {
    std::lock_guard lock(mutex);
    return unfinished == 0;
  }

  const std::size_t capacity;  // 0: unbounded
  mutable std::mutex mutex;    // guards the three members below
  std::deque<Item> items;
  bool closed = false;
  std::size_t unfinished = 0;  // successful pushes not yet matched by a task_done()
};

PollingQueue::PollingQueue(std::size_t capacity) : state_(std::make_unique<State>(capacity)) {}

PollingQueue::~PollingQueue() = default;

void PollingQueue::push(Item item) { state_->poll_push(item, Clock::time_point::max()); }

bool PollingQueue::try_push(Item item) { return state_->push_once(item); }

bool PollingQueue::push_for(Item item, std::chrono::milliseconds timeout) {
  return state_->poll_push(item, Clock::now() + timeout);
}

std::optional<Item> PollingQueue::pop() { return state_->poll_pop(Clock::time_point::max()); }

std::optional<Item> PollingQueue::try_pop() { return state_->pop_once().item; }

std::optional<Item> PollingQueue::pop_for(std::chrono::milliseconds timeout) {
  return state_->poll_pop(Clock::now() + timeout);
}

void PollingQueue::close() {
  // Waiters are not told: each notices at its next look, within a poll interval.
  std::lock_guard lock(state_->mutex);
  state_->closed = true;
}

bool PollingQueue::closed() const {
  std::lock_guard lock(state_->mutex);
  return state_->closed;
}

void PollingQueue::task_done() {
  std::lock_guard lock(state_->mutex);
  if (state_->unfinished == 0) throw std::logic_error("task_done() called more times than items were pushed");
  --state_->unfinished;
}

void PollingQueue::join() {
  while (!state_->all_done()) std::this_thread::sleep_for(kPollInterval);
}

std::size_t PollingQueue::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->items.size();
}

std::size_t PollingQueue::capacity() const { return state_->capacity; }

}  // namespace parlab
