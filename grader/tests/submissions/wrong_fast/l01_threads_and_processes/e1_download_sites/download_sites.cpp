// Test corpus: a wrong answer, fast. It downloads nothing and reports every URL as an empty
// 200: instant, and wrong for every URL. It must score nothing for correctness, and get no
// speedup points however fast it is.
#include <stdexcept>
#include <string>
#include <vector>

#include "download_sites.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  std::vector<SiteResult> results(urls.size());
  for (std::size_t i = 0; i < urls.size(); ++i) {
    results[i].url = urls[i];
    results[i].status = 200;
  }
  return results;
}

}  // namespace parlab
