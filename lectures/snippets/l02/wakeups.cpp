// Lecture snippet (lecture 2): why a condition variable is always waited on with a predicate.
// First a lost wake-up: the signal comes before the wait, and a wait for "a notify" misses it while
// a wait for "a condition" does not. Then two consumers woken for each item: one finds nothing.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

std::mutex mutex;
std::condition_variable changed;  // notified after every change to `done` or `items`
bool done = false;                // guarded by mutex
int items = 0;                    // guarded by mutex
bool finished = false;            // guarded by mutex: no more items will come

bool lost_wakeup_demo() {
  std::thread worker([] {
    {
      std::scoped_lock lock(mutex);
      done = true;
    }
    changed.notify_one();  // nobody is waiting yet: this notify reaches no one
  });
  worker.join();  // stands for anything that makes the waiter late

  std::unique_lock lock(mutex);
  const std::cv_status signal = changed.wait_for(lock, 300ms);                // waits for a notify: never comes
  const bool condition = changed.wait_for(lock, 300ms, [] { return done; });  // checks first: true at once
  std::printf("wait for a notify:    %s\n",
              signal == std::cv_status::timeout ? "timed out, the notify came before the wait" : "woke spuriously");
  std::printf("wait for a condition: %s\n", condition ? "returned at once, done is true" : "timed out");
  return condition;
}

// What wait(lock, predicate) does, spelt out, with a count of the wake-ups that found nothing.
void consume(int& taken, int& woke_for_nothing) {
  std::unique_lock lock(mutex);
  for (;;) {
    while (items == 0 && !finished) {
      changed.wait(lock);
      if (items == 0 && !finished) ++woke_for_nothing;  // someone else took it, or nobody notified
    }
    if (items == 0) return;  // finished, and nothing left
    --items;
    ++taken;
  }
}

bool stolen_wakeup_demo() {
  constexpr int kItems = 1000;
  std::vector<int> taken(2), woke_for_nothing(2);
  {
    std::vector<std::jthread> consumers;
    for (int c = 0; c < 2; ++c) consumers.emplace_back(consume, std::ref(taken[c]), std::ref(woke_for_nothing[c]));
    for (int i = 0; i < kItems; ++i) {
      {
        std::scoped_lock lock(mutex);
        ++items;
      }
      changed.notify_all();                // wakes both consumers for one item
      std::this_thread::sleep_for(100us);  // a slow producer: the consumers wait for every item
    }
    {
      std::scoped_lock lock(mutex);
      finished = true;
    }
    changed.notify_all();
  }
  for (int c = 0; c < 2; ++c) {
    std::printf("consumer %d took %4d items; %d of its wake-ups found nothing\n", c, taken[c], woke_for_nothing[c]);
  }
  return taken[0] + taken[1] == kItems;
}

int main() {
  const bool lost_ok = lost_wakeup_demo();
  const bool stolen_ok = stolen_wakeup_demo();
  const bool ok = lost_ok && stolen_ok;
  std::printf("%s\n", ok ? "the predicate waits saw every change" : "a wait missed a change");
  return ok ? 0 : 1;
}
