// Lecture snippet (lecture 2): starting and joining threads. Five workers that nap, started all at
// once and then joined (wall time: the longest nap), started and joined one by one (the sum of the
// naps), and one detached thread that hands its result back through a future.
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <thread>
#include <vector>

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const std::vector<milliseconds> kNaps = {milliseconds(150), milliseconds(100), milliseconds(250), milliseconds(50),
                                         milliseconds(200)};

struct Span {
  Clock::time_point start, end;
};

// Stands in for a wait on a server: the thread sleeps, the core is free for others.
void worker(int num, std::vector<Span>& spans) {
  spans[num].start = Clock::now();
  std::this_thread::sleep_for(kNaps[num]);
  spans[num].end = Clock::now();  // each worker writes only its own slot
}

// sleep_for sleeps at least as long as asked: a worker that ran has a span at least its nap long.
bool every_worker_napped(const std::vector<Span>& spans) {
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].end - spans[i].start < kNaps[i]) return false;
  }
  return true;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

int main() {
  std::vector<Span> spans(kNaps.size());

  auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i) threads.emplace_back(worker, i, std::ref(spans));  // std::ref: share, not copy
  for (std::thread& t : threads) t.join();  // a std::thread must be joined (or detached) before it dies
  std::printf("start all, then join all:   %.3f s\n", seconds_since(t0));
  const bool all_ran = every_worker_napped(spans);

  t0 = Clock::now();
  for (int i = 0; i < 5; ++i) {
    std::jthread t(worker, i, std::ref(spans));
    t.join();  // waits for this worker before the next one starts: not very parallel
  }
  std::printf("start one, join it, repeat: %.3f s\n", seconds_since(t0));
  bool one_at_a_time = true;  // what the joins guarantee: each worker began after the last one ended
  for (std::size_t i = 1; i < spans.size(); ++i) one_at_a_time = one_at_a_time && spans[i].start >= spans[i - 1].end;

  // A detached thread runs on with nobody to join it, so it must own everything it touches:
  // here its promise, moved in. Nothing tells us when it ends; the future only says it answered.
  std::promise<int> promise;
  std::future<int> answer = promise.get_future();
  std::thread([p = std::move(promise)]() mutable { p.set_value(6 * 7); }).detach();
  const int value = answer.wait_for(std::chrono::seconds(10)) == std::future_status::ready ? answer.get() : -1;
  std::printf("the detached thread answered %d\n", value);

  const bool ok = all_ran && every_worker_napped(spans) && one_at_a_time && value == 42;
  std::printf("%s\n", ok ? "every worker ran; joined one by one, they never overlapped" : "unexpected order");
  return ok ? 0 : 1;
}
