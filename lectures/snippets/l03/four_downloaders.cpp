// Lecture snippet (lecture 3): one image downloader, four ways. The fixture server lists a
// gallery of 16 images, each answered after 100 ms; the program fetches every image and keeps
// its size and SHA-1: in a loop, on a pool of 8 processes, on a pool of 8 threads, and on 8
// worker threads that take their tasks from a queue. It prints what each way cost.
#include <curl/curl.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "../l01/child_process.hpp"
#include "digest.hpp"
#include "fixture_env.hpp"
#include "stopwatch.hpp"

constexpr unsigned kWorkers = 8;

struct Image {
  long status = 0;           // HTTP status; 0 when the transfer failed
  std::size_t bytes = 0;     // body size
  std::string sha1;          // of the body
  long new_connections = 0;  // connections this transfer opened (0: it reused one)
  bool operator==(const Image& other) const { return status == other.status && sha1 == other.sha1; }
};

using EasyHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

EasyHandle make_handle() {
  EasyHandle handle(curl_easy_init(), curl_easy_cleanup);
  if (!handle) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(handle.get(), CURLOPT_NOSIGNAL, 1L);  // threaded code: no signals for timeouts
  curl_easy_setopt(handle.get(), CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(handle.get(), CURLOPT_WRITEFUNCTION, append_body);
  return handle;
}

// Blocks until the whole body has arrived. `handle` keeps its connection open for the next call.
Image download(CURL* handle, const std::string& url) {
  std::string body;
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &body);
  Image image;
  if (curl_easy_perform(handle) == CURLE_OK) {
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &image.status);
    curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &image.new_connections);
  }
  image.bytes = body.size();
  image.sha1 = parlab::sha1_hex(body);
  return image;
}

std::vector<std::string> gallery_urls(const std::string& gallery) {
  const EasyHandle handle = make_handle();
  std::string json;
  curl_easy_setopt(handle.get(), CURLOPT_URL, gallery.c_str());
  curl_easy_setopt(handle.get(), CURLOPT_WRITEDATA, &json);
  if (curl_easy_perform(handle.get()) != CURLE_OK) throw std::runtime_error("cannot list " + gallery);
  const nlohmann::json listing = nlohmann::json::parse(json);  // named: a loop over a temporary's member dangles
  std::vector<std::string> urls;
  for (const auto& image : listing.at("images")) urls.push_back(image.at("url"));
  return urls;
}

// 1. One thread, one handle, one image at a time.
std::vector<Image> download_sequential(const std::vector<std::string>& urls) {
  const EasyHandle handle = make_handle();
  std::vector<Image> images;
  for (const std::string& url : urls) images.push_back(download(handle.get(), url));
  return images;
}

// 2. A pool of processes, each started as `<this program> worker`. Like Pool.map, the list is cut
// into one contiguous chunk per worker; "index url" lines go down each worker's stdin and
// "index status bytes sha1 connections" lines come back up its stdout.
int worker() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const EasyHandle handle = make_handle();  // this process's own, for all of its chunk
  std::size_t index = 0;
  std::string url;
  while (std::cin >> index >> url) {
    const Image image = download(handle.get(), url);
    std::cout << index << ' ' << image.status << ' ' << image.bytes << ' ' << image.sha1 << ' ' << image.new_connections
              << '\n';
  }
  return std::cin.eof() ? 0 : 2;
}

std::vector<Image> download_process_pool(const std::vector<std::string>& urls, unsigned workers) {
  std::vector<l01::Child> pool;
  for (unsigned w = 0; w < workers; ++w) {
    pool.push_back(l01::spawn_self({"worker"}));
    std::string chunk;
    for (std::size_t i = urls.size() * w / workers; i < urls.size() * (w + 1) / workers; ++i) {
      chunk += std::to_string(i) + ' ' + urls[i] + '\n';
    }
    l01::write_all(pool.back().to_child, chunk);  // a few hundred bytes: fits in the pipe
    close(pool.back().to_child);                  // end of the chunk: the worker exits after it
  }
  std::vector<Image> images(urls.size());
  for (l01::Child& child : pool) {
    std::istringstream lines(l01::read_all(child.from_child));  // every byte is parsed back
    close(child.from_child);
    std::size_t index = 0;
    Image image;
    while (lines >> index >> image.status >> image.bytes >> image.sha1 >> image.new_connections) {
      if (index < images.size()) images[index] = image;
    }
    l01::wait_for(child.pid);
  }
  return images;
}

// 3. A pool of threads mapping download() over the list: whichever thread is free takes the next
// index. One handle per thread, kept for the thread's life; a handle is never shared.
std::vector<Image> download_thread_pool(const std::vector<std::string>& urls, unsigned workers) {
  std::vector<Image> images(urls.size());  // slot i is written only by the thread that took index i
  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> pool;
    for (unsigned w = 0; w < workers; ++w) {
      pool.emplace_back([&] {
        const EasyHandle handle = make_handle();
        for (std::size_t i = next++; i < urls.size(); i = next++) images[i] = download(handle.get(), urls[i]);
      });
    }
  }  // joined: every slot is written
  return images;
}

// Tasks for the workers of 4: an index into the list, or an empty optional that tells one worker
// to leave. A minimal version of lecture 2's queue.
class TaskQueue {
 public:
  void put(std::optional<std::size_t> task) {
    {
      std::scoped_lock lock(mutex_);
      tasks_.push_back(task);
    }
    ready_.notify_one();
  }

  // Blocks until there is a task, then takes the oldest.
  std::optional<std::size_t> get() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return !tasks_.empty(); });
    const std::optional<std::size_t> task = tasks_.front();
    tasks_.pop_front();
    return task;
  }

 private:
  std::mutex mutex_;               // guards tasks_
  std::condition_variable ready_;  // put() notifies, get() waits
  std::deque<std::optional<std::size_t>> tasks_;
};

// 4. Long-lived worker threads, started before there is any work, each taking tasks off the queue
// until it draws a stop sign. The producer may go on putting tasks while the workers download.
std::vector<Image> download_with_queue(const std::vector<std::string>& urls, unsigned workers) {
  std::vector<Image> images(urls.size());
  TaskQueue queue;
  std::vector<std::jthread> pool;
  for (unsigned w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      const EasyHandle handle = make_handle();
      while (const std::optional<std::size_t> i = queue.get()) images[*i] = download(handle.get(), urls[*i]);
    });
  }
  for (std::size_t i = 0; i < urls.size(); ++i) queue.put(i);
  for (unsigned w = 0; w < workers; ++w) queue.put(std::nullopt);  // behind every task, one per worker
  pool.clear();  // the join: each worker leaves after drawing its stop sign
  return images;
}

long connections(const std::vector<Image>& images) {
  long total = 0;
  for (const Image& image : images) total += image.new_connections;
  return total;
}

template <typename Run>
std::vector<Image> report(const char* label, Run run) {
  parlab::fixture_reset_stats();
  const auto timed = l03::timed(run);
  const long peak = parlab::fixture_stats()["image"]["peak_in_flight"];
  std::printf("%-16s %zu images in %.3f s, cores busy %.2f, peak in flight %ld, connections %ld\n", label,
              timed.result.size(), timed.wall, timed.cores_busy, peak, connections(timed.result));
  return timed.result;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "worker") return worker();
  std::signal(SIGPIPE, SIG_IGN);          // a dead worker shows as an error on write, not a kill
  curl_global_init(CURL_GLOBAL_DEFAULT);  // once, before any thread uses libcurl
  const std::vector<std::string> urls = gallery_urls(parlab::fixture_url() + "/gallery/16?size=65536&image_delay=100");

  const std::vector<Image> sequential = report("sequential", [&] { return download_sequential(urls); });
  const std::vector<Image> processes = report("8 processes", [&] { return download_process_pool(urls, kWorkers); });
  const std::vector<Image> threads = report("8 threads", [&] { return download_thread_pool(urls, kWorkers); });
  const std::vector<Image> queued = report("queue, 8 workers", [&] { return download_with_queue(urls, kWorkers); });

  bool ok = urls.size() == 16 && processes == sequential && threads == sequential && queued == sequential;
  for (const Image& image : sequential) ok = ok && image.status == 200 && image.bytes == 65536;
  std::printf("%s\n", ok ? "every image arrived, the same four ways" : "the downloads differ");
  return ok ? 0 : 1;
}
