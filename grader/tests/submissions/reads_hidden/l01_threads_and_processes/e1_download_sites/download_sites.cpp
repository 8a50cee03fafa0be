// Test corpus: a submission that looks for the hidden tests. Before it answers, it searches its
// working folder and everything below it for a file of the grader's hidden tests, and refuses to
// answer (throws) if it finds one. Otherwise it is a correct, sequential solution, so every
// correctness part must pass: the hidden tests must not be where a test binary runs.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {
namespace {

void refuse_if_hidden_tests_are_here() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto options = fs::directory_options::skip_permission_denied;
  for (fs::recursive_directory_iterator it(fs::current_path(), options, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find("_hidden") != std::string::npos || name == "hidden") {
      throw std::runtime_error("found the grader's hidden tests at " + it->path().string());
    }
  }
}

}  // namespace

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  refuse_if_hidden_tests_are_here();
  const site::EasyHandle session = site::make_session();
  std::vector<SiteResult> results;
  for (const std::string& url : urls) results.push_back(site::fetch(session.get(), url));
  return results;
}

}  // namespace parlab
