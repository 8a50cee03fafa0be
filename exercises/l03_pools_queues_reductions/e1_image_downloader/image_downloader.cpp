// Student file: exercise 3.1, image_downloader. Run the downloads three ways: worker processes, a
// thread pool, worker threads with a queue.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "image_downloader.hpp"
#include "image_fetch.hpp"
#include "image_protocol.hpp"
#include "worker_process.hpp"

namespace parlab {
namespace {

using images::ImageJob;
namespace fs = std::filesystem;

// TODO(student): strategy processes. Run the jobs on min(workers, jobs.size()) worker processes
// at once instead of this one.
// Goal: every worker process downloading an image of its own, the results in listing order.
// Edge cases: no jobs (start no process), more workers than jobs, a worker that dies (run_job and
// finish throw after reaping it: stop the others and pass the first error on, once every thread
// has been joined).
// Hint: start every pool::WorkerProcess first, so that their start-ups overlap. Give each process a
// std::jthread of its own that calls images::await_ready() on it, takes the next index from a
// std::atomic<std::size_t> counter and calls images::run_job() until the jobs run out, then
// images::finish(). A WorkerProcess must be used by one thread only. Exercise 1.3 is this pattern.
std::vector<ImageResult> download_in_processes(const std::vector<ImageJob>& jobs, const fs::path& folder,
                                               unsigned /*workers*/) {
  std::vector<ImageResult> results;
  if (jobs.empty()) return results;
  results.reserve(jobs.size());
  pool::WorkerProcess worker(images::worker_program());
  images::await_ready(worker);
  for (const ImageJob& job : jobs) results.push_back(images::run_job(worker, job, folder));
  images::finish(worker);
  return results;
}

// TODO(student): strategy thread_pool. Post every download to a pool of min(workers, jobs.size())
// threads: boost::asio::thread_pool (<boost/asio/thread_pool.hpp>, <boost/asio/post.hpp>), the
// counterpart of Python's ThreadPoolExecutor.
// Goal: up to `workers` downloads waiting at once, the results in listing order.
// Edge cases: no jobs (start no pool), more workers than jobs.
// Hint: pre-size the results and let task i write results[i] only; pool.join() waits for every
// task and joins the threads. A task must not throw (an exception that escapes it ends the
// program), and an easy handle must never serve two threads at once: a thread_local session,
// made on a thread's first task, serves every later task of that thread.
std::vector<ImageResult> download_in_thread_pool(const std::vector<ImageJob>& jobs, const fs::path& folder,
                                                 unsigned /*workers*/) {
  const images::EasyHandle session = images::make_session();
  std::vector<ImageResult> results;
  results.reserve(jobs.size());
  for (const ImageJob& job : jobs) results.push_back(images::download_image(session.get(), job, folder));
  return results;
}

// TODO(student): strategy queue. Start min(workers, jobs.size()) std::jthreads that take job
// indices from a queue, then fill the queue and close it, like the lecture's DownloadWorker
// threads reading a queue.Queue.
// Goal: up to `workers` downloads waiting at once, the results in listing order.
// Edge cases: no jobs (start no thread), more workers than jobs, threads that must stop once the
// queue is empty and closed (a thread left waiting on an empty queue hangs the call).
// Hint: a small queue of your own in this file: a std::deque behind a std::mutex, a
// std::condition_variable that push() and close() notify, and a pop() that returns
// std::optional, empty once the queue is closed and drained. Make each thread's session before
// starting the threads, so that a failure to make one throws here and not inside a thread.
std::vector<ImageResult> download_with_queue(const std::vector<ImageJob>& jobs, const fs::path& folder,
                                             unsigned /*workers*/) {
  const images::EasyHandle session = images::make_session();
  std::vector<ImageResult> results;
  results.reserve(jobs.size());
  for (const ImageJob& job : jobs) results.push_back(images::download_image(session.get(), job, folder));
  return results;
}

}  // namespace

GalleryReport download_gallery(const std::string& gallery_url, const fs::path& folder, Strategy strategy,
                               unsigned workers) {
  if (workers == 0) throw std::invalid_argument("download_gallery: workers must be at least 1");
  // You do not need to change this function: the listing, the folder and the report are done.
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
