// Lecture snippet (lecture 2): a worker as a class. A Monitor owns a std::jthread that checks one
// URL over and over; stop() or the destructor ends it, even in the middle of a check that would
// take 10 s. The C++ counterpart of subclassing Python's threading.Thread.
#include <curl/curl.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "fixture_env.hpp"
#include "http_get.hpp"

using namespace std::chrono_literals;

struct Tally {
  int up = 0;           // checks answered with 200
  int down = 0;         // checks that failed or answered with another status
  int interrupted = 0;  // checks cut short by a stop request
};

// Checks `url` every `period` on a thread of its own, from construction until stop() or
// destruction. tally() may be called from any thread; stop() from one thread at a time.
class Monitor {
 public:
  Monitor(std::string url, std::chrono::milliseconds period)
      : url_(std::move(url)), period_(period), thread_([this](std::stop_token stop) { run(stop); }) {}
  ~Monitor() { stop(); }
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // Asks the thread to stop, cutting short a check in flight, and waits for it to end.
  void stop() {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
  }

  Tally tally() const {
    std::scoped_lock lock(mutex_);
    return tally_;
  }

 private:
  void run(std::stop_token stop) {
    while (!stop.stop_requested()) {
      const CURLcode result = check_once(stop);
      std::unique_lock lock(mutex_);
      if (result == CURLE_ABORTED_BY_CALLBACK) {
        ++tally_.interrupted;
      } else {
        ++(result == CURLE_OK ? tally_.up : tally_.down);
      }
      pause_.wait_for(lock, stop, period_, [] { return false; });  // sleeps a period, unless stopped
    }
  }

  CURLcode check_once(std::stop_token& stop) {
    std::string body;
    const EasyHandle handle = make_get(url_, &body);
    curl_easy_setopt(handle.get(), CURLOPT_FAILONERROR, 1L);  // a status of 400 or more is a failure
    curl_easy_setopt(handle.get(), CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle.get(), CURLOPT_XFERINFOFUNCTION, abort_if_stopped);
    curl_easy_setopt(handle.get(), CURLOPT_XFERINFODATA, &stop);
    return curl_easy_perform(handle.get());
  }

  // libcurl calls this every so often during a transfer, even while no byte moves; nonzero aborts it.
  static int abort_if_stopped(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<std::stop_token*>(stop)->stop_requested() ? 1 : 0;
  }

  const std::string url_;
  const std::chrono::milliseconds period_;
  mutable std::mutex mutex_;           // guards tally_
  std::condition_variable_any pause_;  // nobody notifies it: a stop request ends its wait early
  Tally tally_;
  std::jthread thread_;  // last: it starts once every member above exists
};

int main() {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // once, before any thread uses libcurl
  const std::string server = parlab::fixture_url();
  Monitor healthy(server + "/status/200?delay=20", 100ms);
  Monitor stuck(server + "/delay/10000", 100ms);  // its first check would take 10 s
  std::this_thread::sleep_for(500ms);

  const auto t0 = std::chrono::steady_clock::now();
  stuck.stop();
  const double stop_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const Tally h = healthy.tally(), s = stuck.tally();
  std::printf("healthy: %d up, %d down, %d interrupted\n", h.up, h.down, h.interrupted);
  std::printf("stuck:   %d up, %d down, %d interrupted; stop() returned after %.0f ms\n", s.up, s.down, s.interrupted,
              stop_ms);
  // `healthy` stops in its destructor, at the end of main.
  const bool ok = h.down == 0 && s.up == 0 && s.down == 0;
  std::printf("%s\n", ok ? "no check failed, and the stop did not wait for the slow one" : "unexpected tally");
  return ok ? 0 : 1;
}
