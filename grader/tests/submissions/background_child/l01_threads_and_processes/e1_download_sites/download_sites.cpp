// Test corpus: a process left running. The first call starts a "helper" the way a daemon does
// (fork, setsid, fork again, so it belongs to no group the grader made) that sleeps for an hour.
// The answers are right, so every graded part passes; the grader must still find the helper and
// kill it: when grading ends, no process of the submission may be left.
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {
namespace {

// In the forked children only async-signal-safe calls: the parent had other threads.
void start_helper_once() {
  static bool started = false;
  if (started) return;
  started = true;
  if (::fork() != 0) return;  // the parent goes on (the first child is not waited for: a zombie)
  ::setsid();
  if (::fork() == 0) ::sleep(3600);
  ::_exit(0);
}

}  // namespace

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  start_helper_once();
  const site::EasyHandle session = site::make_session();
  std::vector<SiteResult> results;
  for (const std::string& url : urls) results.push_back(site::fetch(session.get(), url));
  return results;
}

}  // namespace parlab
