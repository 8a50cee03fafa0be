// Test corpus: a submission with a data race. The workers share a plain (non-atomic) index
// counter, so two of them can read and bump it at once: ThreadSanitizer must report it.
#include <algorithm>
#include <stdexcept>
#include <thread>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  std::vector<SiteResult> results(urls.size());
  std::size_t next = 0;  // the bug: shared by every worker, unsynchronized
  std::vector<std::jthread> pool;
  for (std::size_t t = 0; t < std::min<std::size_t>(workers, urls.size()); ++t) {
    pool.emplace_back([&] {
      const site::EasyHandle session = site::make_session();
      for (std::size_t i = next++; i < urls.size(); i = next++) results[i] = site::fetch(session.get(), urls[i]);
    });
  }
  pool.clear();  // joins
  return results;
}

}  // namespace parlab
