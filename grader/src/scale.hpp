// Grader: `grader scale ID`, how an exercise's speed grows with workers. The bench binary at
// 1, 2, 4 ... workers up to twice the usable cores (ranks, for an MPI exercise), each round paired
// with a baseline run: a table on stdout, and the same figures as JSON and as an SVG chart.
// Numbers only, like `grader bench`: nothing here is a verdict.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tree_build.hpp"

namespace parlab::grader {

struct ScaleOptions {
  Kit kit;
  std::string id;                  // one exercise, "4.2"
  std::string tree = "exercises";  // whose code: yours by default
  std::size_t size = 0;            // 0: the manifest's timed size
  unsigned max_workers = 0;        // 0: twice the usable cores
  unsigned rounds = 3;             // runs per point; the median counts
  std::uint64_t seed = 1;
  std::filesystem::path out_dir;  // where scale-<id>.json and .svg go; empty: <build root>/scale
};

// 1, 2, 4 ... up to `max_workers`, with `cores` and `max_workers` themselves added when the
// doubling skips them (6 cores: 1 2 4 6 8 12).
std::vector<unsigned> worker_ladder(unsigned cores, unsigned max_workers);

int run_scale(const ScaleOptions& options);

}  // namespace parlab::grader
