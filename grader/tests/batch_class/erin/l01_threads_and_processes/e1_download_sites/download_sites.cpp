// The batch test's hanging student (test_batch.cpp): right for every list but the empty one.
// The caller waits for "the last URL is done" instead of relying on the joins alone; an empty
// list has no last URL, so that wait never ends. Two tests hang, the others pass.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("download_sites: workers must be at least 1");
  std::vector<SiteResult> results(urls.size());
  const std::size_t thread_count = std::min<std::size_t>(workers, urls.size());
  std::vector<site::EasyHandle> sessions;
  for (std::size_t t = 0; t < thread_count; ++t) sessions.push_back(site::make_session());

  std::mutex mutex;
  std::condition_variable last_done_cv;
  bool last_done = false;
  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> pool;
    for (site::EasyHandle& session : sessions) {
      pool.emplace_back([&, handle = session.get()] {
        for (std::size_t i = next.fetch_add(1); i < urls.size(); i = next.fetch_add(1)) {
          results[i] = site::fetch(handle, urls[i]);
          if (i + 1 == urls.size()) {
            std::lock_guard lock(mutex);
            last_done = true;
            last_done_cv.notify_all();
          }
        }
      });
    }
    std::unique_lock lock(mutex);
    last_done_cv.wait(lock, [&] { return last_done; });  // the bug: with no URL, nobody sets it
  }
  return results;
}

}  // namespace parlab
