// Test corpus: an exception escapes a thread. The worker throws when it meets a URL it did not
// expect (any error status), and nothing catches it inside the thread, so std::terminate ends
// the whole test binary: "terminate called after throwing an instance of 'std::runtime_error'".
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
  std::thread worker([&] {
    const site::EasyHandle session = site::make_session();
    for (std::size_t i = 0; i < urls.size(); ++i) {
      results[i] = site::fetch(session.get(), urls[i]);
      if (results[i].status != 200) throw std::runtime_error("unexpected status for " + urls[i]);
    }
  });
  worker.join();
  return results;
}

}  // namespace parlab
