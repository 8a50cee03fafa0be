// Test corpus: a submission that edits a given file. Its download_sites returns nothing, and
// its copy of the public tests (test_download_sites.cpp, beside this file) was rewritten to
// pass anyway. The grader takes only the student files, so the kit's own tests must fail it.
#include <stdexcept>
#include <string>
#include <vector>

#include "download_sites.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& /*urls*/, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  return {};
}

}  // namespace parlab
