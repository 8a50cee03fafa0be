// Lecture snippet (lecture 2): a delayed start that can be cancelled, like Python's threading.Timer.
// A timer is a std::jthread that waits out its delay on a condition variable a stop request also
// wakes. One timer fires after 100 ms; the other, set for 10 s, is cancelled after 50 ms.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Runs `action` on a thread of its own once `delay` has passed, unless a stop is requested first.
// request_stop() is Timer.cancel(); destroying the jthread cancels too, and waits for the thread.
std::jthread start_timer(std::chrono::milliseconds delay, std::function<void()> action) {
  return std::jthread([delay, action = std::move(action)](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;  // nobody notifies it: only the delay or a stop request end the wait
    std::unique_lock lock(mutex);
    wake.wait_for(lock, stop, delay, [] { return false; });
    if (!stop.stop_requested()) action();
  });
}

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

int main() {
  std::atomic<bool> first_fired{false};
  std::atomic<bool> second_fired{false};
  const Clock::time_point t0 = Clock::now();

  std::jthread first = start_timer(100ms, [&] {
    first_fired = true;
    std::printf("timer 1 fired at %.1f ms\n", ms_since(t0));
  });
  std::jthread second = start_timer(10s, [&] { second_fired = true; });

  std::this_thread::sleep_for(50ms);
  const double cancelled_at = ms_since(t0);
  second.request_stop();  // wakes its wait at once, long before the 10 s are up
  second.join();
  std::printf("timer 2 cancelled at %.1f ms; its thread had ended at %.1f ms\n", cancelled_at, ms_since(t0));
  first.join();

  const bool ok = first_fired && !second_fired;
  std::printf("%s\n", ok ? "the first timer fired, the cancelled one never did" : "a timer misbehaved");
  return ok ? 0 : 1;
}
