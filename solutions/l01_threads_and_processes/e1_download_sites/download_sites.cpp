// Student file: exercise 1.1, download_sites. Reference solution: a thread pool, a session each.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("download_sites: workers must be at least 1");

  // Each slot is written by exactly one worker (the one that claimed its index) and read by
  // this thread only after every worker has been joined, so the slots need no lock.
  std::vector<SiteResult> results(urls.size());
  const std::size_t thread_count = std::min<std::size_t>(workers, urls.size());

  // One session per thread, like Python's threading.local() session: an easy handle serves
  // one transfer at a time. They are made here, before any thread starts, so that a failure
  // throws to the caller instead of ending the process from inside a worker.
  std::vector<site::EasyHandle> sessions;
  sessions.reserve(thread_count);
  for (std::size_t t = 0; t < thread_count; ++t) sessions.push_back(site::make_session());

  // The next index nobody has claimed yet. Relaxed is enough: fetch_add is a single atomic
  // read-modify-write, so every index is handed to exactly one worker whatever the order, and
  // nothing is published through the counter; the results reach this thread through the
  // joins below (a thread's completion happens-before its join returns).
  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> pool;
    pool.reserve(thread_count);
    for (site::EasyHandle& session : sessions) {
      pool.emplace_back([&urls, &results, &next, handle = session.get()] {
        for (std::size_t i = next.fetch_add(1, std::memory_order_relaxed); i < urls.size();
             i = next.fetch_add(1, std::memory_order_relaxed)) {
          results[i] = site::fetch(handle, urls[i]);
        }
      });
    }
  }  // every std::jthread joins here, also when emplace_back threw: no thread outlives the call
  return results;
}

}  // namespace parlab
