// Grader: `grader bench`, what `make bench` prints: the fixture server's throughput, then each
// exercise's baseline against a tree's code (the solutions by default), with the cores seen.
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
};

int run_bench_report(const BenchOptions& options);

}  // namespace parlab::grader
