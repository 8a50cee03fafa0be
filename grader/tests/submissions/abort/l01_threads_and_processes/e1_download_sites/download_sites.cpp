// Test corpus: a submission that aborts. A sanity check of its own is wrong (it expects one
// result fewer than it made), so it calls std::abort on every non-empty list: SIGABRT.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  const site::EasyHandle session = site::make_session();
  std::vector<SiteResult> results;
  for (const std::string& url : urls) results.push_back(site::fetch(session.get(), url));
  if (!urls.empty() && results.size() != urls.size() - 1) {  // the bug: an off-by-one in the check
    std::fputs("download_sites: result count check failed\n", stderr);
    std::abort();
  }
  return results;
}

}  // namespace parlab
