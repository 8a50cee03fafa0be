// Test corpus: a program that never exits. Its answers are right, but a static "logger" flushes
// in its destructor by waiting for a worker that was never started, so the test binary hangs at
// exit, after every test has passed. The grader must end it at its timeout and say that the
// program did not exit, not that a test failed.
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {
namespace {

struct Logger {
  bool flushed = false;
  ~Logger() {
    while (!flushed) std::this_thread::sleep_for(std::chrono::milliseconds(50));  // nobody sets it
  }
};

Logger& logger() {
  static Logger the_logger;
  return the_logger;
}

}  // namespace

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  logger();
  const site::EasyHandle session = site::make_session();
  std::vector<SiteResult> results;
  for (const std::string& url : urls) results.push_back(site::fetch(session.get(), url));
  return results;
}

}  // namespace parlab
