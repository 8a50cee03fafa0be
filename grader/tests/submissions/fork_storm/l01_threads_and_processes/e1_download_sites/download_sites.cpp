// Test corpus: a fork bomb. Meant to start one process per URL, the loop forks in the children
// too, and never stops: the number of processes doubles until the machine refuses. The grader's
// cap on tasks must stop it, the grader must say so, and no process of it may survive.
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "download_sites.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  for (;;) ::fork();  // the bug: parents and children alike go round again
}

}  // namespace parlab
