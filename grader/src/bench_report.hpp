// Grader: `grader bench`, what `make bench` prints: the fixture server's throughput, the
// machine's calibration, then each exercise's baseline against a tree's code (the solutions by
// default) with its ideal on this machine and its efficiency, the seed lectures' Python figures
// beside ours, and optionally how stable the timing verdicts are over repeated runs.
// Numbers only: nothing here is a test, and nothing fails on a slow machine.
#pragma once

#include <string>
#include <vector>

#include "tree_build.hpp"

namespace parlab::grader {

struct BenchOptions {
  Kit kit;
  std::vector<std::string> ids;  // empty: every exercise
  std::string tree = "solutions";
  std::string json_path;  // also write the figures here
  std::uint64_t seed = 1;
  // Also time the solutions and the starters this many times each and count the timing
  // verdicts that came out as expected (solutions pass, starters fail); 0: skip.
  unsigned stability_runs = 0;
};

int run_bench_report(const BenchOptions& options);

}  // namespace parlab::grader
