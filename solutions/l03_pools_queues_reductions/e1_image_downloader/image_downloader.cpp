// Student file: exercise 3.1, image_downloader. Reference solution: worker processes fed by one
// thread each, Boost.Asio's thread pool, and worker threads draining a queue.
#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "image_downloader.hpp"
#include "image_fetch.hpp"
#include "image_protocol.hpp"
#include "worker_process.hpp"

namespace parlab {
namespace {

using images::ImageJob;
namespace fs = std::filesystem;

std::size_t worker_count(const std::vector<ImageJob>& jobs, unsigned workers) {
  return std::min<std::size_t>(workers, jobs.size());
}

std::vector<ImageResult> download_in_processes(const std::vector<ImageJob>& jobs, const fs::path& folder,
                                               unsigned workers) {
  // Start every process before waiting for any, so that their start-ups overlap; each thread
  // below awaits its own, so the first ones ready download while the others still start. If one
  // cannot start, the vector's destructor kills and reaps the others.
  std::vector<pool::WorkerProcess> processes;
  processes.reserve(worker_count(jobs, workers));
  while (processes.size() < worker_count(jobs, workers)) processes.emplace_back(images::worker_program());

  // Each slot is written by the one thread that claimed its index, and read after the joins.
  std::vector<ImageResult> results(jobs.size());
  // Relaxed is enough for both: fetch_add hands each index to exactly one thread, and `stop` only
  // asks the others to quit early; results and the error travel through the joins and the mutex.
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;          // guards first_error
  std::exception_ptr first_error;  // the first failure of any thread, rethrown after the joins
  {
    std::vector<std::jthread> threads;
    threads.reserve(processes.size());
    for (pool::WorkerProcess& process : processes) {
      // One thread per process, and one job in flight per process, so no pipe ever fills.
      threads.emplace_back([&, &process = process] {
        try {
          images::await_ready(process);
          while (!stop.load(std::memory_order_relaxed)) {
            const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= jobs.size()) break;
            results[i] = images::run_job(process, jobs[i], folder);
          }
          if (stop.load(std::memory_order_relaxed)) {
            process.kill();  // another worker failed: the call throws anyway
          } else {
            images::finish(process);
          }
        } catch (...) {
          {
            const std::lock_guard<std::mutex> lock(error_mutex);
            if (!first_error) first_error = std::current_exception();
          }
          stop.store(true, std::memory_order_relaxed);
        }
      });
    }
  }  // the threads join here
  if (first_error) std::rethrow_exception(first_error);
  return results;
}

std::vector<ImageResult> download_in_thread_pool(const std::vector<ImageJob>& jobs, const fs::path& folder,
                                                 unsigned workers) {
  std::vector<ImageResult> results(jobs.size());
  if (jobs.empty()) return results;
  boost::asio::thread_pool pool(worker_count(jobs, workers));
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    boost::asio::post(pool, [&jobs, &folder, &results, i] {
      // One session per pool thread, made by its first task and reused by its later ones; it
      // ends with the thread, in pool.join(). curl_easy_init fails only when memory runs out.
      thread_local const images::EasyHandle session = images::make_session();
      results[i] = images::download_image(session.get(), jobs[i], folder);  // slot i is this task's alone
    });
  }
  pool.join();  // every task has run and every thread has ended: the slots are complete
  return results;
}

// Job indices, first in first out, for the threads of download_with_queue.
class JobQueue {
 public:
  void push(std::size_t index) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      indices_.push_back(index);
    }
    ready_.notify_one();
  }

  // No more pushes: threads waiting on an empty queue wake up and stop.
  void close() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

  // The next index, waiting while the queue is empty and open; nothing once closed and drained.
  std::optional<std::size_t> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return !indices_.empty() || closed_; });
    if (indices_.empty()) return std::nullopt;
    const std::size_t index = indices_.front();
    indices_.pop_front();
    return index;
  }

 private:
  std::mutex mutex_;               // guards indices_ and closed_
  std::condition_variable ready_;  // push() and close() notify the threads waiting in pop()
  std::deque<std::size_t> indices_;
  bool closed_ = false;
};

std::vector<ImageResult> download_with_queue(const std::vector<ImageJob>& jobs, const fs::path& folder,
                                             unsigned workers) {
  std::vector<images::EasyHandle> sessions;  // one per thread, made here so that a failure throws here
  while (sessions.size() < worker_count(jobs, workers)) sessions.push_back(images::make_session());

  std::vector<ImageResult> results(jobs.size());
  JobQueue queue;
  {
    std::vector<std::jthread> threads;
    for (images::EasyHandle& session : sessions) {
      threads.emplace_back([&, handle = session.get()] {
        while (const std::optional<std::size_t> i = queue.pop()) {
          results[*i] = images::download_image(handle, jobs[*i], folder);  // slot *i is this thread's alone
        }
      });
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) queue.push(i);
    queue.close();
  }  // the threads drain the queue, see it closed and join here
  return results;
}

}  // namespace

GalleryReport download_gallery(const std::string& gallery_url, const fs::path& folder, Strategy strategy,
                               unsigned workers) {
  if (workers == 0) throw std::invalid_argument("download_gallery: workers must be at least 1");
  const images::GalleryPlan plan = images::plan_gallery(gallery_url, folder);
  GalleryReport report;
  report.listed = plan.listed;
  switch (strategy) {
    case Strategy::processes:
      report.images = download_in_processes(plan.jobs, folder, workers);
      break;
    case Strategy::thread_pool:
      report.images = download_in_thread_pool(plan.jobs, folder, workers);
      break;
    case Strategy::queue:
      report.images = download_with_queue(plan.jobs, folder, workers);
      break;
  }
  return report;
}

}  // namespace parlab
