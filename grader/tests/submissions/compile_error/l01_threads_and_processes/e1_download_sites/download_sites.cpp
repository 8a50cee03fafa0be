// Test corpus: a submission that does not compile (a misspelt type, a missing semicolon).
#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  std::vectr<SiteResult> results return results;
}

}  // namespace parlab
