// Lecture snippet (lecture 2): handing work over through a queue. Two producer threads put numbers
// into a queue, three consumer threads take them out and add them up, and an empty optional, one
// per consumer, tells each consumer that the work is over.
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

// A queue any number of threads may push to and pop from. A sketch: it never makes a producer wait
// (a fast producer can fill memory) and it cannot be closed. Exercise 2.1 adds both.
template <typename T>
class UnboundedQueue {
 public:
  void push(T item) {
    {
      std::scoped_lock lock(mutex_);
      items_.push_back(std::move(item));
    }
    not_empty_.notify_one();  // one item in: one waiting consumer may go on
  }

  // Blocks until there is an item, then takes the oldest.
  T pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return !items_.empty(); });
    T item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;                   // guards items_
  std::condition_variable not_empty_;  // push() notifies it, pop() waits on it
  std::deque<T> items_;
};

constexpr int kProducers = 2;
constexpr int kConsumers = 3;
constexpr long kItemsEach = 50'000;

int main() {
  UnboundedQueue<std::optional<long>> queue;  // an empty optional means "no more work"
  std::vector<long> sums(kConsumers), counts(kConsumers);
  {
    std::vector<std::jthread> consumers;
    for (int c = 0; c < kConsumers; ++c) {
      consumers.emplace_back([&queue, &sums, &counts, c] {
        while (const std::optional<long> item = queue.pop()) {
          sums[c] += *item;  // each consumer adds into its own slot
          ++counts[c];
        }
      });
    }
    {
      std::vector<std::jthread> producers;
      for (int p = 0; p < kProducers; ++p) {
        producers.emplace_back([&queue, p] {
          for (long i = 1; i <= kItemsEach; ++i) queue.push(p * kItemsEach + i);
        });
      }
    }  // the producers have joined: every number is in the queue
    for (int c = 0; c < kConsumers; ++c) queue.push(std::nullopt);  // behind all the work, one each
  }  // the consumers join here, each after taking its stop sign

  long total = 0, taken = 0;
  for (int c = 0; c < kConsumers; ++c) {
    std::printf("consumer %d took %ld numbers\n", c, counts[c]);
    total += sums[c];
    taken += counts[c];
  }
  const long n = kProducers * kItemsEach;
  const bool ok = taken == n && total == n * (n + 1) / 2;
  std::printf("%ld numbers, sum %ld: %s\n", taken, total, ok ? "each taken exactly once" : "WRONG");
  return ok ? 0 : 1;
}
