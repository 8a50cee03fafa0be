// Test corpus: an output flood. Debug printing left in a loop writes 64 KiB per pass for ever
// (gigabytes if nobody stops it): the grader must cap what it keeps, end the run, and never let
// the flood fill the disk or block the child on a full pipe.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  const std::string line(64 << 10, '#');
  for (;;) std::fwrite(line.data(), 1, line.size(), stdout);  // the bug: a debug loop never left
}

}  // namespace parlab
