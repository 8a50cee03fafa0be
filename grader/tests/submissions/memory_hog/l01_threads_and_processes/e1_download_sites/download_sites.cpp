// Test corpus: a memory hog. It "caches" a 256 MiB buffer per URL and touches every page, so a
// dozen URLs ask for 3 GiB: the grader's memory limit must stop it (std::bad_alloc or a kill)
// long before the machine starts to swap.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  const site::EasyHandle session = site::make_session();
  std::vector<std::unique_ptr<char[]>> cache;
  std::vector<SiteResult> results;
  for (const std::string& url : urls) {
    constexpr std::size_t kBuffer = 256u << 20;
    cache.push_back(std::make_unique<char[]>(kBuffer));  // zeroed: every page is touched
    results.push_back(site::fetch(session.get(), url));
  }
  return results;
}

}  // namespace parlab
