// Student file: exercise 2.1, blocking_queue. Reference solution: one mutex, three condition variables.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "blocking_queue.hpp"

namespace parlab {

// Every notify below happens with the mutex held. Notifying after unlocking would save the woken
// thread a moment, but then a waiter could return, see its work finished, and destroy the queue
// while the notifier still touches the condition variable (join() after the last task_done()).
struct BlockingQueue::State {
  explicit State(std::size_t max_items) : capacity(max_items) {}

  bool full() const { return capacity != 0 && items.size() >= capacity; }

  // Under the lock, with room checked: adds the item and wakes one popper for it.
  void append(Item item) {
    items.push_back(item);
    ++unfinished;
    not_empty.notify_one();
  }

  // Under the lock, with an item present: takes it and wakes one pusher for the room it leaves.
  Item take_front() {
    const Item front = items.front();
    items.pop_front();
    not_full.notify_one();
    return front;
  }

  const std::size_t capacity;  // 0: unbounded
  mutable std::mutex mutex;    // guards items, closed and unfinished
  // Pushers wait here for room or the close; a pop (one room) and close() (all) notify it.
  std::condition_variable not_full;
  // Poppers wait here for an item or the close; a push (one item) and close() (all) notify it.
  std::condition_variable not_empty;
  // join() waits here for unfinished == 0; the task_done() that gets it there notifies all.
  std::condition_variable all_done;
  std::deque<Item> items;
  bool closed = false;
  std::size_t unfinished = 0;  // successful pushes not yet matched by a task_done()
};

BlockingQueue::BlockingQueue(std::size_t capacity) : state_(std::make_unique<State>(capacity)) {}

BlockingQueue::~BlockingQueue() = default;

void BlockingQueue::push(Item item) {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  // The predicate form re-checks after every wake-up, spurious ones and lost races included.
  s.not_full.wait(lock, [&s] { return s.closed || !s.full(); });
  if (s.closed) throw QueueClosed();
  s.append(item);
}

bool BlockingQueue::try_push(Item item) {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  if (s.closed) throw QueueClosed();
  if (s.full()) return false;
  s.append(item);
  return true;
}

bool BlockingQueue::push_for(Item item, std::chrono::milliseconds timeout) {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  const bool go_on = s.not_full.wait_for(lock, timeout, [&s] { return s.closed || !s.full(); });
  if (s.closed) throw QueueClosed();
  if (!go_on) return false;
  s.append(item);
  return true;
}

std::optional<Item> BlockingQueue::pop() {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  s.not_empty.wait(lock, [&s] { return s.closed || !s.items.empty(); });
  if (s.items.empty()) return std::nullopt;  // closed and drained
  return s.take_front();
}

std::optional<Item> BlockingQueue::try_pop() {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  if (s.items.empty()) return std::nullopt;
  return s.take_front();
}

std::optional<Item> BlockingQueue::pop_for(std::chrono::milliseconds timeout) {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  s.not_empty.wait_for(lock, timeout, [&s] { return s.closed || !s.items.empty(); });
  if (s.items.empty()) return std::nullopt;  // timed out, or closed and drained
  return s.take_front();
}

void BlockingQueue::close() {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  s.closed = true;
  // Everyone waiting must re-check: pushers to throw, poppers to drain or see the end.
  s.not_full.notify_all();
  s.not_empty.notify_all();
}

bool BlockingQueue::closed() const {
  std::lock_guard lock(state_->mutex);
  return state_->closed;
}

void BlockingQueue::task_done() {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  if (s.unfinished == 0) throw std::logic_error("task_done() called more times than items were pushed");
  if (--s.unfinished == 0) s.all_done.notify_all();
}

void BlockingQueue::join() {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  s.all_done.wait(lock, [&s] { return s.unfinished == 0; });
}

std::size_t BlockingQueue::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->items.size();
}

std::size_t BlockingQueue::capacity() const { return state_->capacity; }

}  // namespace parlab
