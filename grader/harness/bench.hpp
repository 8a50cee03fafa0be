// Harness: the contract between the shared bench driver (bench_main.cpp) and an exercise's
// bench adapter (bench_<name>.cpp, given, one per exercise).
//
// The driver builds a Workload from (size, seed, workers), runs exactly one implementation
// once, times only that call, then asks for a digest of the result. The grader compares the
// student's digest with the sequential one before it trusts any time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

// io adapters get the fixture server's URL from parlab::fixture_url() (fixture_env.hpp).

namespace parlab::bench {

struct Params {
  std::size_t size = 0;    // the workload's size, in the exercise's own unit (items, URLs)
  std::uint64_t seed = 1;  // every input is a pure function of (size, seed)
  unsigned workers = 1;    // passed to the student's function where it takes workers
  std::string variant;     // one of the manifest's timing.variants; empty when it has none.
                           // An adapter throws std::invalid_argument for a name it does not know.
};

// One prepared workload. Preparation (building inputs) happens in the factory, untimed.
class Workload {
 public:
  virtual ~Workload() = default;
  virtual void run_sequential() = 0;       // the given baseline, once
  virtual void run_student() = 0;          // the student's version, once
  virtual std::string digest() const = 0;  // of the last run's result: equal results, equal digests
  // Bytes the last run downloaded or wrote, for workloads where memory against data matters
  // (5.2 reports peak memory against it); 0: not reported.
  virtual std::uint64_t bytes_moved() const { return 0; }
  // The least time the workload's waiting alone can take with Params::workers requests in
  // flight, for a workload that knows its waits and where they differ (4.1's delays, 2.2's
  // timeouts); 0: the grader estimates it from the baseline, as waves of its average wait.
  virtual double wait_floor_seconds() const { return 0; }
};

// Defined by each exercise's bench adapter.
std::unique_ptr<Workload> make_workload(const Params& params);

}  // namespace parlab::bench
