// Test corpus: a submission that crashes. It writes through a pointer that is null at run time
// (getenv of a variable nobody sets, so the compiler cannot see it coming): the test binary dies
// of SIGSEGV on the first non-empty list, and the grader must say so and grade on.
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  if (!urls.empty()) {
    char* scratch = std::getenv("PARLAB_CORPUS_NEVER_SET");
    scratch[0] = 'x';  // the bug: no check for null
  }
  return {};
}

}  // namespace parlab
