// Grader: the two checks that run an exercise's bench binary: differential (is the student's
// answer the baseline's on fresh inputs and awkward sizes?) and speedup (is it faster, by how
// much, and how sure are we?).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "fixture_server.hpp"
#include "machine.hpp"
#include "manifest.hpp"
#include "report.hpp"

namespace parlab::grader {

struct BenchContext {
  std::filesystem::path build_dir;  // the configured build dir the binary is in
  std::filesystem::path binary;     // bench_<name>
  std::filesystem::path scratch;
  std::map<std::string, std::string> env;     // PARLAB_FIXTURE_URL for io exercises
  std::chrono::milliseconds timeout{60'000};  // per run
  std::uint64_t memory_bytes = 2ull << 30;
  std::uint64_t seed = 1;
  std::string variant;  // passed as --variant when not empty
  // For io exercises: zero the fixture's counters, and read its peak of requests in flight.
  std::function<void()> reset_fixture_stats;
  std::function<std::uint64_t()> fixture_peak_in_flight;
  unsigned short fixture_port = 0;  // for calibration's loopback round trips; 0: no fixture
  std::function<double()> fixture_cpu_seconds;  // the fixture's own CPU time so far (its one thread)
  std::function<void(int pid)> on_started;  // passed to each run's ChildSpec (grader trace)
};

// The context for `exercise`'s bench binary in a configured build dir: the manifest's limits,
// and for io and mixed exercises the fixture server (its URL for the children, its counters
// for the peak of requests in flight). Set `scratch` before running anything.
BenchContext bench_context(const std::filesystem::path& build_dir, const Exercise& exercise, std::uint64_t seed,
                           fixture::Server* server);

struct BenchRun {
  double seconds = 0;
  double cpu_seconds = 0;
  std::string digest;
  double busy_elsewhere = 0;        // cores other programs kept busy meanwhile, on average
  unsigned peak_threads = 0;        // most threads the bench process had at once (sampled)
  unsigned peak_processes = 0;      // most processes of its tree at once (sampled)
  std::uint64_t max_rss_bytes = 0;  // the bench process's peak resident memory
  std::uint64_t bytes = 0;          // what the workload says it moved (downloads), when it says
  double wait_floor_s = 0;          // the workload's least waiting time, when it knows
  double server_cpu_s = 0;          // CPU time the fixture server spent meanwhile (serving it)
  std::string problem;              // non-empty when the run failed; then the numbers mean nothing
};

BenchRun run_bench(const BenchContext& ctx, const std::string& impl, std::size_t size, std::uint64_t seed,
                   unsigned workers, const std::string& run_name);

// Sizes 0, 1, fewer items than workers, odd splits, and the timed size, on fresh seeds;
// check_differential runs them for each of the exercise's variants.
std::vector<std::size_t> differential_sizes(const Exercise& exercise, unsigned workers);

PartResult check_differential(const BenchContext& ctx, const Exercise& exercise, unsigned workers);

// Refuses a sanitizer or -O0 build; calibrates the machine (calibration.hpp); then warm-up,
// interleaved rounds, more rounds while the interval straddles the bar, and the judgement
// (timing.hpp); for each of the exercise's variants, all of which must pass.
PartResult measure_speedup(const BenchContext& ctx, const Exercise& exercise, const Machine& machine);

}  // namespace parlab::grader
