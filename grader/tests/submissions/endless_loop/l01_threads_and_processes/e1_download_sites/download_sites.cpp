// Test corpus: a livelock. Each worker waits politely for the shared index to move on before it
// takes one, so every worker waits for another and none ever takes an index: all spin, for ever,
// at full CPU. The grader must stop each test at its timeout and say where the threads were.
#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  std::vector<SiteResult> results(urls.size());
  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 0; t < std::min<std::size_t>(workers, urls.size()); ++t) {
      pool.emplace_back([&] {
        const site::EasyHandle session = site::make_session();
        for (;;) {
          const std::size_t seen = next.load();
          if (seen >= urls.size()) return;
          while (next.load() == seen) std::this_thread::yield();  // the bug: waits for a move nobody makes
          const std::size_t i = next.fetch_add(1);
          if (i < urls.size()) results[i] = site::fetch(session.get(), urls[i]);
        }
      });
    }
  }
  return results;
}

}  // namespace parlab
