// Student file: exercise 2.1, blocking_queue. Make BlockingQueue wait on condition variables instead of polling.
//
// As shipped, BlockingQueue is a copy of the baseline PollingQueue: correct, but every thread that
// has to wait sleeps 200 us at a time and looks again. Look for TODO(student).
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

// TODO(student): no poll interval at all once nobody polls. Delete this with the loops that use it.
constexpr auto kPollInterval = std::chrono::microseconds(200);

}  // namespace

// TODO(student): add what threads wait on, and say in a comment beside each who notifies it.
// Goal: a thread that cannot go on sleeps until another thread's call changes what it waits for
// (an item pushed, room made, the queue closed, the last task done), then wakes within
// microseconds. Three things are waited for, so three std::condition_variable members fit well
// (one per reason: not_full, not_empty, all_done). Keep one mutex guarding all the data.
// You may add, remove and rename members and helper functions: this struct is yours.
struct BlockingQueue::State {
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

  // TODO(student): replace this polling loop with a wait on a condition variable.
  // Edge cases: the queue may be closed while a pusher waits (it must throw QueueClosed, and the
  // item is not added); a timed wait gives up at the deadline; condition variables wake up
  // spuriously, and a woken thread may find that another one took the room first.
  // Hint: cv.wait(lock, predicate) and cv.wait_until(lock, deadline, predicate) re-check the
  // predicate after every wake-up, so they handle both for you.
  bool poll_push(Item item, Clock::time_point deadline) {
    while (!push_once(item)) {
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(kPollInterval);
    }
    return true;
  }

  // TODO(student): likewise for popping. A pop that waits must wake for an item or for close().
  // Edge cases: after close(), pops still return the items left, and report the end (nullopt)
  // only when the queue is empty; a pop_for on a closed, empty queue returns at once.
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

BlockingQueue::BlockingQueue(std::size_t capacity) : state_(std::make_unique<State>(capacity)) {}

BlockingQueue::~BlockingQueue() = default;

void BlockingQueue::push(Item item) { state_->poll_push(item, Clock::time_point::max()); }

// TODO(student): a successful push or pop now has someone to tell. Wake exactly the waiters that
// can use what changed: one item pushed serves one popper, one item popped makes room for one
// pusher (notify_one); close() concerns every waiter (notify_all).
bool BlockingQueue::try_push(Item item) { return state_->push_once(item); }

bool BlockingQueue::push_for(Item item, std::chrono::milliseconds timeout) {
  return state_->poll_push(item, Clock::now() + timeout);
}

std::optional<Item> BlockingQueue::pop() { return state_->poll_pop(Clock::time_point::max()); }

std::optional<Item> BlockingQueue::try_pop() { return state_->pop_once().item; }

std::optional<Item> BlockingQueue::pop_for(std::chrono::milliseconds timeout) {
  return state_->poll_pop(Clock::now() + timeout);
}

// TODO(student): close() must wake every thread waiting in a push or a pop, so each re-checks and
// returns or throws. It does not concern join().
void BlockingQueue::close() {
  std::lock_guard lock(state_->mutex);
  state_->closed = true;
}

bool BlockingQueue::closed() const {
  std::lock_guard lock(state_->mutex);
  return state_->closed;
}

// TODO(student): the task_done() that brings the count to zero wakes every joiner.
void BlockingQueue::task_done() {
  std::lock_guard lock(state_->mutex);
  if (state_->unfinished == 0) throw std::logic_error("task_done() called more times than items were pushed");
  --state_->unfinished;
}

// TODO(student): wait for the count to reach zero instead of polling it.
void BlockingQueue::join() {
  while (!state_->all_done()) std::this_thread::sleep_for(kPollInterval);
}

std::size_t BlockingQueue::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->items.size();
}

std::size_t BlockingQueue::capacity() const { return state_->capacity; }

}  // namespace parlab
