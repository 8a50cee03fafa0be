// Test support, given: what the public and the hidden tests of exercise 4.3 share.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "device_ids.hpp"
#include "mpi_counts_run.hpp"
#include "mpi_launch.hpp"

namespace parlab::testing {

// Per run of the program: far more than mpirun's start-up (about half a second) and the few
// thousand IDs a test makes, and room for a loaded machine: a CI run beside other grading saw a
// correct 3-rank job of 2999 IDs pass 10 s. A run that takes longer is stopped (SIGTERM to mpirun,
// which stops every rank and removes their shared memory; see mpi_launch.hpp) and fails its test,
// so a test never hangs. Three stopped runs (15 s and up to 5 s of grace each) fit in one test
// under the grader's per-test timeout (75 s, exercise.json), so the launcher, not the grader,
// stops them.
inline constexpr std::chrono::seconds kRunTimeout{15};

// What a run that never finished means.
inline constexpr const char* kHang =
    "the job never finished: a rank skipped a collective call (MPI_Reduce, MPI_Gather, ...) that the others made, "
    "so they wait in it forever, or a rank waits for a message that nobody sends";

// Runs the program with `impl` on `ranks` ranks and expects, from rank 0, exactly
// device_ids_sequential(seed, m), computed in this process. A failure names the run and the
// first difference.
inline void expect_like_baseline(unsigned ranks, std::uint64_t seed, std::uint64_t m,
                                 std::string_view impl = "student") {
  const std::string what = std::to_string(m) + " IDs (seed " + std::to_string(seed) + ") on " + std::to_string(ranks) +
                           " rank" + (ranks == 1 ? "" : "s") + ", --impl " + std::string(impl);
  const DeviceIdCounts expected = device_ids_sequential(seed, m);
  ProgramRun run;
  try {
    run = run_program(impl, ranks, seed, m, kRunTimeout);
  } catch (const MpiLaunchError& error) {
    ADD_FAILURE() << what << ": " << error.what() << (error.timed_out() ? std::string("\nMeaning: ") + kHang : "");
    return;
  } catch (const std::exception& error) {
    ADD_FAILURE() << what << ": " << error.what();
    return;
  }
  EXPECT_EQ(run.ranks, static_cast<int>(ranks)) << what << ": the program saw another number of ranks";
  EXPECT_EQ(run.size, m) << what;
  EXPECT_EQ(run.impl, impl) << what;
  const std::string difference = first_difference(run.counts, expected);
  EXPECT_TRUE(difference.empty()) << what << ": rank 0's result differs from device_ids_sequential: " << difference;
}

}  // namespace parlab::testing
