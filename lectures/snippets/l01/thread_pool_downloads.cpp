// Lecture snippet (lecture 1): I/O-bound work on a pool of threads. 40 slow pages from the local
// fixture server, first in one loop over one libcurl handle, then on 5 threads, each with its own
// handle kept in a thread_local (the C++ counterpart of requests.Session in threading.local()).
#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cpu_time.hpp"
#include "fixture_env.hpp"

struct Page {
  long status = 0;           // HTTP status; 0 when the transfer failed
  std::size_t bytes = 0;     // body bytes
  long new_connections = 0;  // connections this transfer had to open (0: it reused one)
};

std::size_t count_bytes(char*, std::size_t size, std::size_t count, void* total) {
  *static_cast<std::size_t*>(total) += size * count;
  return size * count;
}

CURL* make_handle() {
  CURL* handle = curl_easy_init();
  if (handle == nullptr) std::abort();
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // timeouts must not use signals in threaded code
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, count_bytes);
  return handle;
}

// Blocks until the page has arrived: the thread does nothing meanwhile but wait.
Page fetch(CURL* session, const std::string& url) {
  Page page;
  curl_easy_setopt(session, CURLOPT_URL, url.c_str());
  curl_easy_setopt(session, CURLOPT_WRITEDATA, &page.bytes);
  if (curl_easy_perform(session) == CURLE_OK) {
    curl_easy_getinfo(session, CURLINFO_RESPONSE_CODE, &page.status);
    curl_easy_getinfo(session, CURLINFO_NUM_CONNECTS, &page.new_connections);
  }
  return page;
}

// This thread's handle: made on the thread's first call, cleaned up when the thread ends.
// Never shared, so no lock: a libcurl easy handle must not be used by two threads at once.
CURL* session() {
  thread_local const std::unique_ptr<CURL, void (*)(CURL*)> handle(make_handle(), curl_easy_cleanup);
  return handle.get();
}

std::vector<Page> download_loop(const std::vector<std::string>& urls) {
  std::vector<Page> pages;
  for (const std::string& url : urls) pages.push_back(fetch(session(), url));
  return pages;
}

std::vector<Page> download_pool(const std::vector<std::string>& urls, unsigned workers) {
  std::vector<Page> pages(urls.size());  // slot i is written by whichever thread takes URL i
  std::atomic<std::size_t> next{0};      // the next URL nobody has taken yet
  {
    std::vector<std::jthread> pool;
    for (unsigned w = 0; w < workers; ++w) {
      pool.emplace_back([&] {
        for (std::size_t i = next++; i < urls.size(); i = next++) pages[i] = fetch(session(), urls[i]);
      });
    }
  }  // the threads join here, and each one's thread_local handle is cleaned up as it ends
  return pages;
}

long connections(const std::vector<Page>& pages) {
  long total = 0;
  for (const Page& page : pages) total += page.new_connections;
  return total;
}

template <typename F>
std::vector<Page> timed(const char* label, F run) {
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Page> pages = run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%-10s %zu pages in %.3f s over %ld connections, cores busy %.2f\n", label, pages.size(), wall,
              connections(pages), (cpu_seconds() - cpu0) / wall);
  return pages;
}

int main() {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // once, before any thread uses libcurl
  std::vector<std::string> urls;
  for (int i = 0; i < 40; ++i) urls.push_back(parlab::fixture_url() + "/page/" + std::to_string(i) + "?delay=25");

  const std::vector<Page> looped = timed("loop", [&] { return download_loop(urls); });
  const std::vector<Page> pooled = timed("5 threads", [&] { return download_pool(urls, 5); });

  // Same pages both ways, and each thread reused its one handle's connection: at most 5 opened.
  bool ok = pooled.size() == urls.size() && connections(pooled) <= 5;
  for (std::size_t i = 0; ok && i < urls.size(); ++i) {
    ok = looped[i].status == 200 && pooled[i].status == 200 && pooled[i].bytes == looped[i].bytes;
  }
  std::printf("%s\n", ok ? "every page arrived, the same both ways" : "the downloads differ");
  return ok ? 0 : 1;
}
