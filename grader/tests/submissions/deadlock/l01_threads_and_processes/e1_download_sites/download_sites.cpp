// Test corpus: a submission that deadlocks. The caller holds the results lock while it joins
// the workers, and every worker needs that lock to store its first result: nobody moves.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  std::vector<SiteResult> results(urls.size());
  std::mutex results_lock;
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  std::lock_guard hold(results_lock);  // the bug: held across the joins below
  for (std::size_t t = 0; t < std::min<std::size_t>(workers, urls.size()); ++t) {
    pool.emplace_back([&] {
      const site::EasyHandle session = site::make_session();
      for (std::size_t i = next++; i < urls.size(); i = next++) {
        SiteResult result = site::fetch(session.get(), urls[i]);
        std::lock_guard store(results_lock);
        results[i] = std::move(result);
      }
    });
  }
  for (auto& thread : pool) thread.join();
  return results;
}

}  // namespace parlab
