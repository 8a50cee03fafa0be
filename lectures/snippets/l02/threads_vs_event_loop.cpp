// Lecture snippet (lecture 2): many slow requests, two ways. 50 GETs of /delay/200 (or as many as
// the first argument says), first with one thread per request, each blocking in its own transfer,
// then all on this one thread through libcurl's multi interface, an event loop.
#include <curl/curl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../l01/cpu_time.hpp"
#include "fixture_env.hpp"
#include "http_get.hpp"

struct Reply {
  long status = 0;  // 0: the transfer failed
  std::string body;
  pid_t thread = 0;  // the thread that saw the transfer finish
};

std::vector<Reply> thread_per_request(const std::vector<std::string>& urls) {
  std::vector<Reply> replies(urls.size());
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < urls.size(); ++i) {
      threads.emplace_back([&urls, &replies, i] {
        Reply& reply = replies[i];  // this thread's own slot
        const EasyHandle handle = make_get(urls[i], &reply.body);
        if (curl_easy_perform(handle.get()) == CURLE_OK) reply.status = response_code(handle.get());  // blocks
        reply.thread = gettid();
      });
    }
  }
  return replies;
}

std::vector<Reply> event_loop(const std::vector<std::string>& urls) {
  std::vector<Reply> replies(urls.size());
  const std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(), curl_multi_cleanup);
  std::vector<EasyHandle> handles;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    handles.push_back(make_get(urls[i], &replies[i].body));
    curl_easy_setopt(handles.back().get(), CURLOPT_PRIVATE, &replies[i]);  // to find the reply when it is done
    curl_multi_add_handle(multi.get(), handles.back().get());              // queued: perform() starts it
  }
  int running = static_cast<int>(urls.size());
  while (running > 0) {
    // Does whatever can be done now without waiting: connect, send, read what has arrived.
    if (curl_multi_perform(multi.get(), &running) != CURLM_OK) break;
    if (running > 0) curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);  // sleeps until a socket or timer is due
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      Reply* reply = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &reply);
      if (message->data.result == CURLE_OK) reply->status = response_code(message->easy_handle);
      reply->thread = gettid();
      curl_multi_remove_handle(multi.get(), message->easy_handle);
    }
  }
  return replies;  // `handles` are cleaned up before `multi`: the reverse of their declaration
}

// CPU time of the calling thread alone, in seconds: for the event loop, what the loop itself costs.
double this_thread_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// "cores busy" counts every thread of the process, the in-process fixture server's included;
// "main busy" only the thread that called run().
template <typename F>
std::vector<Reply> timed(const char* label, F run) {
  parlab::fixture_reset_stats();
  const double cpu0 = cpu_seconds(), main0 = this_thread_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Reply> replies = run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = cpu_seconds() - cpu0, main_cpu = this_thread_cpu_seconds() - main0;
  std::set<pid_t> threads;
  for (const Reply& reply : replies) threads.insert(reply.thread);
  const int peak = parlab::fixture_stats()["delay"]["peak_in_flight"].get<int>();
  std::printf("%-18s %zu requests in %.3f s, %3zu threads, cores busy %.2f, main busy %.2f, peak in flight %d\n", label,
              replies.size(), wall, threads.size(), cpu / wall, main_cpu / wall, peak);
  return replies;
}

bool all_answered(const std::vector<Reply>& replies) {
  for (const Reply& reply : replies) {
    if (reply.status != 200 || nlohmann::json::parse(reply.body)["delay_ms"] != 200) return false;
  }
  return true;
}

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // once, before any thread uses libcurl
  const int requests = argc > 1 ? std::stoi(argv[1]) : 50;
  const std::vector<std::string> urls(requests, parlab::fixture_url() + "/delay/200");

  const std::vector<Reply> threaded = timed("thread per request", [&] { return thread_per_request(urls); });
  const std::vector<Reply> looped = timed("one event loop", [&] { return event_loop(urls); });

  bool loop_on_main = true;  // the event loop ran every transfer on this thread, and no other
  for (const Reply& reply : looped) loop_on_main = loop_on_main && reply.thread == gettid();
  const bool ok = all_answered(threaded) && all_answered(looped) && loop_on_main;
  std::printf("%s\n", ok ? "every request answered both ways; the loop ran on main's thread" : "a request went wrong");
  return ok ? 0 : 1;
}
