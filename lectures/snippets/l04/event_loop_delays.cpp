// Lecture snippet (lecture 4): the Python lecture's five slow requests, with its delays of 3, 1, 3,
// 2 and 1 seconds shrunk to tenths (GETs of /delay/300, /delay/100, ...). First one after another,
// then all five on this one thread through libcurl's multi interface, an event loop. One after
// another costs the sum of the delays; the loop costs about the longest one. Then a map and two
// reductions read the delays back from the replies: their sum and their maximum.
#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "../l02/http_get.hpp"
#include "fixture_env.hpp"

using Clock = std::chrono::steady_clock;

constexpr long kDelaysMs[] = {300, 100, 300, 200, 100};

struct Reply {
  long status = 0;  // 0: the transfer failed
  std::string body;
  double done_at = 0;  // seconds after the batch started
  pid_t thread = 0;    // the thread that saw it finish
};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Python's loop of requests.get(): each call blocks until its reply is in, so the waits add up.
std::vector<Reply> one_after_another(const std::vector<std::string>& urls) {
  std::vector<Reply> replies(urls.size());
  const Clock::time_point t0 = Clock::now();
  for (std::size_t i = 0; i < urls.size(); ++i) {
    const EasyHandle handle = make_get(urls[i], &replies[i].body);
    if (curl_easy_perform(handle.get()) == CURLE_OK) replies[i].status = response_code(handle.get());  // waits
    replies[i].done_at = seconds_since(t0);
    replies[i].thread = gettid();
  }
  return replies;
}

// asyncio.gather() in libcurl's terms: every transfer is added to one multi handle, and this thread
// drives them all, waiting only in curl_multi_poll, for whichever socket or timer is due first.
std::vector<Reply> event_loop(const std::vector<std::string>& urls) {
  std::vector<Reply> replies(urls.size());
  const std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(), curl_multi_cleanup);
  std::vector<EasyHandle> handles;  // declared after `multi`, so cleaned up before it
  for (std::size_t i = 0; i < urls.size(); ++i) {
    handles.push_back(make_get(urls[i], &replies[i].body));
    curl_easy_setopt(handles.back().get(), CURLOPT_PRIVATE, &replies[i]);
    curl_multi_add_handle(multi.get(), handles.back().get());
  }
  const Clock::time_point t0 = Clock::now();
  for (int running = 1; running > 0;) {
    if (curl_multi_perform(multi.get(), &running) != CURLM_OK) break;  // each transfer as far as it can go now
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      Reply* reply = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &reply);
      if (message->data.result == CURLE_OK) reply->status = response_code(message->easy_handle);
      reply->done_at = seconds_since(t0);
      reply->thread = gettid();
      curl_multi_remove_handle(multi.get(), message->easy_handle);
    }
    if (running > 0) curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);  // the only wait
  }
  return replies;
}

void print(const char* label, const std::vector<Reply>& replies) {
  double wall = 0;
  std::printf("%-17s answers at", label);
  for (const Reply& reply : replies) {
    std::printf(" %.3f", reply.done_at);
    wall = std::max(wall, reply.done_at);
  }
  std::printf(" s: all %zu in %.3f s\n", replies.size(), wall);
}

int main() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::vector<std::string> urls;
  for (long ms : kDelaysMs) urls.push_back(parlab::fixture_url() + "/delay/" + std::to_string(ms));

  const std::vector<Reply> waited = one_after_another(urls);
  print("one after another", waited);
  const std::vector<Reply> looped = event_loop(urls);
  print("one event loop", looped);

  // The Python lecture's map and reduce, fused: the delay each reply reports (the map), then their
  // sum and their maximum (two reductions). Any order of combining gives the same answer for both.
  const auto delay_of = [](const Reply& reply) { return nlohmann::json::parse(reply.body)["delay_ms"].get<long>(); };
  const long sum = std::transform_reduce(looped.begin(), looped.end(), 0L, std::plus<>{}, delay_of);
  const long longest = std::transform_reduce(
      looped.begin(), looped.end(), 0L, [](long a, long b) { return std::max(a, b); }, delay_of);
  std::printf("the delays add up to %ld ms; the longest is %ld ms\n", sum, longest);

  bool ok = true;  // every reply arrived, reports the delay asked for, and the loop's all on this thread
  for (std::size_t i = 0; i < urls.size(); ++i) {
    ok = ok && waited[i].status == 200 && looped[i].status == 200 && delay_of(waited[i]) == kDelaysMs[i] &&
         delay_of(looped[i]) == kDelaysMs[i] && looped[i].thread == gettid();
  }
  std::printf("%s\n", ok ? "every request answered both ways, the loop's on main's thread" : "a request went wrong");
  return ok ? 0 : 1;
}
