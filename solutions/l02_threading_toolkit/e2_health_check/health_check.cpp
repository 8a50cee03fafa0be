// Student file: exercise 2.2, health_check. Reference solution: a thread per endpoint.
#include <string>
#include <thread>
#include <vector>

#include "health_check.hpp"
#include "health_probe.hpp"

namespace parlab {

std::vector<HostReport> check_hosts(const std::vector<std::string>& urls, const CheckOptions& options) {
  probe::validate(options);

  // A thread per endpoint, with no cap: each one spends its life blocked in the network, using
  // no CPU, so the number of cores says nothing about how many can usefully wait at once. The
  // handles are made before any thread starts, so a failure throws here, to the caller, rather
  // than inside a thread, where it would end the process.
  std::vector<probe::EasyHandle> handles;
  handles.reserve(urls.size());
  for (std::size_t i = 0; i < urls.size(); ++i) handles.push_back(probe::make_probe());

  // Slot i is written by thread i alone and read by this thread only after every thread has
  // been joined (a thread's completion happens-before its join returns): no lock is needed.
  std::vector<HostReport> reports(urls.size());
  {
    std::vector<std::jthread> checkers;
    checkers.reserve(urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
      checkers.emplace_back([&urls, &options, &reports, i, handle = handles[i].get()] {
        reports[i] = probe::check_endpoint(handle, urls[i], options);
      });
    }
  }  // every std::jthread joins here, also when emplace_back threw: no thread outlives the call
  return reports;
}

}  // namespace parlab
