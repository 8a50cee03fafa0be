// Grader: `grader trace ID`, a timeline of one run of the student's code. The bench binary runs
// once at the timed size and workers while a sampler watches it from outside through /proc (the
// student adds nothing): each thread's and child process's state and CPU time every ~2 ms, and
// the fixture's requests in flight. Writes trace-<id>.svg (one row per thread or process, busy
// spans dark, requests in flight beneath) and trace-<id>.json (the samples), and prints a short
// reading: idle workers, a serial chain or a lock convoy show at a glance. Not a verdict.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "tree_build.hpp"

namespace parlab::grader {

struct TraceOptions {
  Kit kit;
  std::string id;                  // one exercise, "1.1"
  std::string tree = "exercises";  // whose code: yours by default
  std::filesystem::path out_dir;   // where trace-<id>.svg and .json go; empty: <build root>/trace
  std::uint64_t seed = 1;
  std::optional<std::size_t> size;  // default: the manifest's timed size
  std::optional<unsigned> workers;  // default: what the speedup part runs it with
};

// 0 when the run succeeded, 1 when the student's run failed (the trace is written all the same:
// a hang's picture shows who waited); throws std::runtime_error when it cannot run at all.
int run_trace(const TraceOptions& options);

}  // namespace parlab::grader
