// Given, do not modify: the API of exercise 2.1, blocking_queue, and its concurrency contract.
//
// A bounded first-in first-out queue for many producer and many consumer threads, with the
// semantics of Python's queue.Queue: put blocks while the queue is full, get blocks while it is
// empty, task_done() and join() count finished work, and close() (Python 3.13's shutdown())
// tells everyone that no more items will come.
//
// Two classes share one interface: PollingQueue, the given baseline, which waits by checking
// again and again with a sleep in between, and BlockingQueue, yours, which must wait without
// polling. Each keeps its members behind a pointer (State, defined in its .cpp file), so the
// members a queue needs are an implementation detail of that file.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>

namespace parlab {

// What the queues carry. Every value is an item, 0 included.
using Item = std::uint64_t;

// Thrown by every push variant once the queue is closed: the item was not added.
class QueueClosed : public std::runtime_error {
 public:
  QueueClosed() : std::runtime_error("push on a closed queue") {}
};

// The contract, the same for both classes below.
//
// Capacity: at most `capacity` items are in the queue at any moment; 0 means unbounded (like
// Python's maxsize=0), and then a push never waits.
// Order: first in, first out. Items pushed by one thread are popped in the order it pushed them;
// items from different threads interleave in the order their pushes took effect.
// Timeouts: the _for variants wait at most about `timeout` (measured on std::chrono::steady_clock,
// at least `timeout` when they give up); a timeout of zero or less tries once without waiting.
// Timeouts up to one day are supported.
// Closing: close() is final. Every push variant then throws QueueClosed, including pushes that
// were waiting for room. Items already in the queue stay there: pops keep returning them until
// the queue is empty, and only then report the end (std::nullopt) instead of waiting.
// Unfinished tasks: every successful push adds one, every task_done() takes one away, and join()
// waits until none are left. close() does not change the count.
// Thread safety: every member may be called from any number of threads at once. Destroying the
// queue while another thread is still inside one of its members is undefined: join those
// threads first.
// Copying and moving: neither (threads hold references to a queue).

class PollingQueue {
 public:
  // An empty, open queue holding at most `capacity` items (0: unbounded). Throws std::bad_alloc.
  explicit PollingQueue(std::size_t capacity = 0);
  ~PollingQueue();
  PollingQueue(const PollingQueue&) = delete;
  PollingQueue& operator=(const PollingQueue&) = delete;
  PollingQueue(PollingQueue&&) = delete;
  PollingQueue& operator=(PollingQueue&&) = delete;

  // Appends the item, blocking while the queue is full. Throws QueueClosed when the queue is
  // closed, before or during the wait (the item is then not added). Python: put(item).
  void push(Item item);
  // Appends the item if there is room right now; returns false when full, without waiting.
  // Throws QueueClosed when closed. Python: put_nowait(item), which raises Full instead.
  bool try_push(Item item);
  // Like push(), but gives up and returns false once `timeout` has passed without room.
  // Throws QueueClosed when closed, before or during the wait. Python: put(item, timeout=...).
  bool push_for(Item item, std::chrono::milliseconds timeout);

  // Removes and returns the oldest item, blocking while the queue is empty and open. Returns
  // std::nullopt only when the queue is closed and empty: the end of the stream. Python: get().
  std::optional<Item> pop();
  // The oldest item if there is one right now, else std::nullopt (open or closed). Never waits.
  // Python: get_nowait().
  std::optional<Item> try_pop();
  // Like pop(), but returns std::nullopt once `timeout` has passed with nothing to take, or at
  // once when the queue is closed and empty. Python: get(timeout=...).
  std::optional<Item> pop_for(std::chrono::milliseconds timeout);

  // Closes the queue and wakes every thread waiting in a push or a pop, so that each one returns
  // or throws as described above. Calling it again does nothing. Does not wake join().
  void close();
  // True once close() has been called.
  bool closed() const;

  // Marks one pushed item as processed. Throws std::logic_error when called more often than
  // items were pushed (Python raises ValueError). Wakes join() when the count reaches zero.
  void task_done();
  // Blocks until every item pushed so far has been marked with task_done(); returns at once when
  // none are unfinished. Several threads may join at once.
  void join();

  // The number of items in the queue right now: a snapshot, which other threads may change the
  // moment it is returned. Python: qsize().
  std::size_t size() const;
  // The capacity given to the constructor (0: unbounded). Python: maxsize.
  std::size_t capacity() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The same interface and contract as PollingQueue. A thread that waits in push, pop, their _for
// variants or join must sleep until another thread's call lets it go on (or its timeout ends):
// no polling, no spinning. Waking it should take microseconds, not a poll interval.
class BlockingQueue {
 public:
  explicit BlockingQueue(std::size_t capacity = 0);
  ~BlockingQueue();
  BlockingQueue(const BlockingQueue&) = delete;
  BlockingQueue& operator=(const BlockingQueue&) = delete;
  BlockingQueue(BlockingQueue&&) = delete;
  BlockingQueue& operator=(BlockingQueue&&) = delete;

  void push(Item item);
  bool try_push(Item item);
  bool push_for(Item item, std::chrono::milliseconds timeout);

  std::optional<Item> pop();
  std::optional<Item> try_pop();
  std::optional<Item> pop_for(std::chrono::milliseconds timeout);

  void close();
  bool closed() const;

  void task_done();
  void join();

  std::size_t size() const;
  std::size_t capacity() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace parlab
