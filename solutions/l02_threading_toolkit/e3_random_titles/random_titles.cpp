// Student file: exercise 2.3, random_titles. Reference solution: a thread pool, a session each.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "random_titles.hpp"
#include "title_fetch.hpp"

namespace parlab {

TitlesReport random_titles(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("random_titles: workers must be at least 1");

  // Each slot is written by exactly one worker (the one that claimed its index) and read by this
  // thread only after every worker has been joined, so the slots need no lock.
  std::vector<PageTitle> pages(urls.size());
  const std::size_t thread_count = std::min<std::size_t>(workers, urls.size());

  // One session per thread: an easy handle serves one transfer at a time. Made here, before any
  // thread starts, so that a failure throws to the caller instead of ending the process from
  // inside a worker.
  std::vector<titles::EasyHandle> sessions;
  sessions.reserve(thread_count);
  for (std::size_t t = 0; t < thread_count; ++t) sessions.push_back(titles::make_session());

  // The next index nobody has claimed yet. Relaxed is enough: fetch_add is one atomic
  // read-modify-write, so every index goes to exactly one worker whatever the order, and nothing
  // is published through the counter; the results reach this thread through the joins below (a
  // thread's completion happens-before its join returns).
  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> pool;
    pool.reserve(thread_count);
    for (titles::EasyHandle& session : sessions) {
      pool.emplace_back([&urls, &pages, &next, handle = session.get()] {
        for (std::size_t i = next.fetch_add(1, std::memory_order_relaxed); i < urls.size();
             i = next.fetch_add(1, std::memory_order_relaxed)) {
          pages[i] = titles::fetch_title(handle, urls[i]);  // the parse runs here too, in parallel
        }
      });
    }
  }  // every std::jthread joins here, also when emplace_back threw: no thread outlives the call
  return titles::make_report(std::move(pages));
}

}  // namespace parlab
