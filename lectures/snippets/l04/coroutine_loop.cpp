// Lecture snippet (lecture 4): what co_await means, with no library. A coroutine is a function that
// can suspend itself and be resumed later, keeping its locals in a frame on the heap. Here each of
// five "requests" waits on a timer with co_await, and a small event loop on one thread resumes
// whichever is due: the Python lecture's delays of 3, 1, 3, 2 and 1 (tenths of a second) end after
// about the longest. With an argument N, N such requests run at once, and only a summary is printed.
#include <sys/resource.h>

#include <chrono>
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <functional>
#include <queue>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The event loop: coroutines ready to go on, and timers (when, whom to resume), earliest first.
// Everything runs on the thread that calls run(), so nothing here needs a lock.
class Loop {
 public:
  void schedule(std::coroutine_handle<> coroutine) { ready_.push_back(coroutine); }
  void wake_at(Clock::time_point when, std::coroutine_handle<> coroutine) { timers_.push({when, coroutine}); }

  void run() {
    while (!ready_.empty() || !timers_.empty()) {
      while (!ready_.empty()) {  // each one runs until its next co_await suspends it, or its end
        const std::coroutine_handle<> coroutine = ready_.front();
        ready_.pop_front();
        coroutine.resume();
      }
      if (timers_.empty()) break;
      const Timer next = timers_.top();
      timers_.pop();
      std::this_thread::sleep_until(next.when);  // a real loop waits in poll(), for sockets as well
      schedule(next.coroutine);
    }
  }

 private:
  struct Timer {
    Clock::time_point when;
    std::coroutine_handle<> coroutine;
    bool operator>(const Timer& other) const { return when > other.when; }
  };
  std::deque<std::coroutine_handle<>> ready_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
};

// An awaitable: what `co_await Sleep{loop, delay}` does, in three calls the compiler makes.
struct Sleep {
  Loop& loop;
  Clock::duration delay;
  Clock::time_point start = Clock::now();

  // false: the coroutine must wait, so it is suspended; its locals stay in its frame.
  bool await_ready() const noexcept { return delay <= Clock::duration::zero(); }
  // Given the suspended coroutine, files it under a timer; control then returns to the loop.
  void await_suspend(std::coroutine_handle<> coroutine) { loop.wake_at(start + delay, coroutine); }
  // Runs when the loop resumes the coroutine; its result is the value of the co_await expression.
  Clock::duration await_resume() const noexcept { return Clock::now() - start; }
};

std::size_t frame_bytes = 0;  // the size of the last coroutine frame allocated

// The coroutine's return type. Its promise_type tells the compiler how the coroutine behaves: it
// starts suspended (the loop starts it), and its frame outlives its end until the Task frees it.
class Task {
 public:
  struct promise_type {
    Task get_return_object() { return Task(std::coroutine_handle<promise_type>::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
    static void* operator new(std::size_t bytes) {  // the frame: the locals, the arguments, the state
      frame_bytes = bytes;
      return ::operator new(bytes);
    }
    static void operator delete(void* frame) noexcept { ::operator delete(frame); }
  };

  explicit Task(std::coroutine_handle<promise_type> coroutine) : coroutine_(coroutine) {}
  Task(Task&& other) noexcept : coroutine_(std::exchange(other.coroutine_, {})) {}
  Task& operator=(Task&&) = delete;
  ~Task() {
    if (coroutine_) coroutine_.destroy();
  }
  std::coroutine_handle<> handle() const { return coroutine_; }
  bool done() const { return coroutine_.done(); }

 private:
  std::coroutine_handle<promise_type> coroutine_;
};

struct Outcome {
  double waited = 0;       // seconds between the request and its answer
  std::thread::id thread;  // who ran the rest of the coroutine
};

// A coroutine, because it uses co_await. Calling it runs none of its body: it returns a Task.
Task fake_request(Loop& loop, int id, milliseconds delay, Outcome& outcome, bool verbose) {
  if (verbose) std::printf("request %d sent, answer due in %3lld ms\n", id, static_cast<long long>(delay.count()));
  const Clock::duration waited = co_await Sleep{loop, delay};  // suspended here until the loop resumes it
  outcome = {std::chrono::duration<double>(waited).count(), std::this_thread::get_id()};
  if (verbose) std::printf("request %d answered after %.3f s\n", id, outcome.waited);
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char** argv) {
  const std::vector<milliseconds> kDelays = {milliseconds(300), milliseconds(100), milliseconds(300), milliseconds(200),
                                             milliseconds(100)};
  const int count = argc > 1 ? std::atoi(argv[1]) : static_cast<int>(kDelays.size());
  const bool verbose = count <= 10;

  Loop loop;
  std::vector<Outcome> outcomes(count);
  std::vector<Task> tasks;
  double sum_of_delays = 0;
  for (int i = 0; i < count; ++i) {
    const milliseconds delay = kDelays[i % kDelays.size()];
    tasks.push_back(fake_request(loop, i, delay, outcomes[i], verbose));  // created, not started
    loop.schedule(tasks.back().handle());
    sum_of_delays += std::chrono::duration<double>(delay).count();
  }
  const double cpu0 = cpu_seconds();
  const Clock::time_point t0 = Clock::now();
  loop.run();
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();

  bool ok = true;  // every coroutine finished, waited at least its delay, and ran on this thread
  for (int i = 0; i < count; ++i) {
    ok = ok && tasks[i].done() && outcomes[i].thread == std::this_thread::get_id() &&
         outcomes[i].waited >= std::chrono::duration<double>(kDelays[i % kDelays.size()]).count();
  }
  std::printf("%d requests in %.3f s on one thread (cores busy %.2f); their delays add up to %.1f s\n", count, wall,
              (cpu_seconds() - cpu0) / wall, sum_of_delays);
  std::printf("each coroutine frame: %zu bytes on the heap\n", frame_bytes);
  std::printf("%s\n", ok ? "every request answered, all on main's thread" : "a request went wrong");
  return ok ? 0 : 1;
}
