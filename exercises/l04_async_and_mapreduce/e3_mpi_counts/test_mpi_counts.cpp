// Test: exercise 4.3 mpi_counts, public tests. You may add your own.
//
// These tests run no MPI in their own process: they start the mpi_counts program under mpirun, on
// 1, 2 and 3 ranks, read rank 0's JSON line and compare it with device_ids_sequential() computed
// here. Each run has a deadline (kRunTimeout): a job that never finishes is stopped, mpirun first
// (SIGTERM, so it stops its ranks and removes their shared memory), and fails its test with what a
// hang means, instead of hanging. The MpiLaunch tests check the launcher the others rely on, and
// that mpirun works on this machine at all: if they fail, fix that first.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "device_ids.hpp"
#include "mpi_counts.hpp"
#include "mpi_counts_run.hpp"
#include "mpi_counts_testing.hpp"
#include "mpi_launch.hpp"
#include "proc_text.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::testing::expect_like_baseline;

bool has(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Processes whose command line contains `marker` (an argument no other program uses).
int processes_with(const std::string& marker) {
  int found = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    if (parlab::testing::proc_text(entry.path() / "cmdline").find(marker) != std::string::npos) ++found;
  }
  return found;
}

TEST(RankSlice, CoversEveryIndexOnceInRankOrderAndBalanced) {
  for (const std::uint64_t m : {0u, 1u, 2u, 5u, 7u, 10u, 1000u, 1001u}) {
    for (const int ranks : {1, 2, 3, 4, 7}) {
      SCOPED_TRACE(std::to_string(m) + " indices, " + std::to_string(ranks) + " ranks");
      std::uint64_t next = 0;
      for (int rank = 0; rank < ranks; ++rank) {
        const parlab::IndexRange slice = parlab::rank_slice(m, rank, ranks);
        EXPECT_EQ(slice.begin, next) << "rank " << rank << "'s slice does not start where the previous one ended";
        EXPECT_LE(slice.begin, slice.end) << "rank " << rank;
        EXPECT_LE(slice.size(), m / ranks + 1) << "rank " << rank << " takes more than its share";
        EXPECT_GE(slice.size(), m / ranks) << "rank " << rank << " takes less than its share";
        next = slice.end;
      }
      EXPECT_EQ(next, m) << "the slices do not end at m";
    }
  }
  EXPECT_EQ(parlab::rank_slice(10, 0, 3), (parlab::IndexRange{0, 4}));
  EXPECT_EQ(parlab::rank_slice(10, 2, 3), (parlab::IndexRange{7, 10}));
  EXPECT_EQ(parlab::rank_slice(2, 3, 4).size(), 0u) << "a rank beyond the m-th gets an empty slice";
}

TEST(MpiLaunch, CommandLineFollowsTheMachine) {
  const unsigned slots = parlab::mpi_slot_count();
  ASSERT_GE(slots, 1u);
  parlab::MpiLaunch launch;
  launch.program = PARLAB_PROGRAM_MPI_COUNTS;
  launch.args = {"--size", "10"};
  launch.ranks = 1;
  std::vector<std::string> command = parlab::mpirun_command(launch);
  ASSERT_GE(command.size(), 5u);
  EXPECT_EQ(command[0], "mpirun");
  EXPECT_EQ(command[1], "-np");
  EXPECT_EQ(command[2], "1");
  EXPECT_EQ(has(command, "--allow-run-as-root"), ::geteuid() == 0) << "only root needs it, and root cannot do without";
  EXPECT_FALSE(has(command, "--oversubscribe")) << "one rank always has a core";
  EXPECT_TRUE(has(command, "--bind-to") && has(command, "none"));
  EXPECT_TRUE(has(command, "mpi_yield_when_idle")) << "a waiting rank must not spin on a core another rank needs";
  EXPECT_EQ(std::vector<std::string>(command.end() - 3, command.end()),
            (std::vector<std::string>{PARLAB_PROGRAM_MPI_COUNTS, "--size", "10"}));

  launch.ranks = slots + 1;
  command = parlab::mpirun_command(launch);
  EXPECT_EQ(command[2], std::to_string(slots + 1));
  EXPECT_TRUE(has(command, "--oversubscribe")) << "more ranks (" << slots + 1 << ") than cores (" << slots << ")";

  launch.ranks = 0;
  EXPECT_THROW(parlab::mpirun_command(launch), std::invalid_argument);
  launch.ranks = 1;
  launch.program = "mpi_counts";
  EXPECT_THROW(parlab::mpirun_command(launch), std::invalid_argument) << "a relative path";
}

TEST(MpiLaunch, CapturesLargeOutputAndTheExitStatus) {
  // 100,000 lines (589 KB) on one rank: more than a pipe holds, which a naive reader would block on.
  parlab::MpiLaunch launch;
  launch.program = "/bin/sh";
  launch.args = {"-c", "seq 1 100000"};
  launch.timeout = parlab::testing::kRunTimeout;
  std::string expected;
  for (int i = 1; i <= 100000; ++i) expected += std::to_string(i) + "\n";
  const parlab::MpiOutcome outcome = parlab::mpi_launch(launch);
  EXPECT_TRUE(outcome.success()) << outcome.describe() << "\n" << outcome.err_tail;
  EXPECT_TRUE(outcome.out == expected) << "stdout has " << outcome.out.size() << " bytes, expected " << expected.size();

  launch.args = {"-c", "echo giving up >&2; exit 3"};
  const parlab::MpiOutcome failed = parlab::mpi_launch(launch);
  EXPECT_FALSE(failed.success());
  EXPECT_EQ(failed.code, 3) << failed.describe() << "\n" << failed.err_tail;
  EXPECT_NE(failed.err_tail.find("giving up"), std::string::npos) << failed.err_tail;
  try {
    parlab::mpi_launch_stdout(launch);
    ADD_FAILURE() << "mpi_launch_stdout returned the output of a failed run";
  } catch (const parlab::MpiLaunchError& error) {
    EXPECT_FALSE(error.timed_out());
    EXPECT_NE(std::string(error.what()).find("giving up"), std::string::npos) << "it quotes stderr: " << error.what();
  }
}

TEST(MpiLaunch, TimeoutStopsMpirunAndEveryRank) {
  // Two ranks that would count for hours: the launch must give up at its deadline and leave no rank.
  const std::string marker = "9876543210123";  // a seed nobody else uses
  parlab::MpiLaunch launch;
  launch.program = PARLAB_PROGRAM_MPI_COUNTS;
  launch.args = {"--impl", "sequential", "--size", "100000000000", "--seed", marker};
  launch.ranks = 2;
  launch.timeout = 2s;
  const auto start = std::chrono::steady_clock::now();
  try {
    parlab::mpi_launch(launch);
    ADD_FAILURE() << "a job of 10^11 IDs finished within 2 s";
  } catch (const parlab::MpiLaunchError& error) {
    EXPECT_TRUE(error.timed_out()) << error.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s) << "stopping the job took longer than its grace period";
  // The ranks are gone once mpirun has been reaped; allow the kernel a moment to remove them.
  for (int wait = 0; wait < 20 && processes_with(marker) > 0; ++wait) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(processes_with(marker), 0) << "a rank of the stopped job is still running";
}

TEST(HangRetry, LaunchesAHungJobOnceMoreAndOnlyOnce) {
  parlab::testing::HangRetry retry;
  int launches = 0;
  const auto hangs_first = [&] {
    if (++launches == 1) throw parlab::MpiLaunchError("did not finish", true);
    return 7;
  };
  EXPECT_EQ(retry.run(hangs_first), 7) << "a second launch that finishes is the result";
  EXPECT_EQ(launches, 2);
  EXPECT_TRUE(retry.used());

  // The test's retry is spent: the next hang fails after one launch.
  launches = 0;
  const auto always_hangs = [&]() -> int {
    ++launches;
    throw parlab::MpiLaunchError("did not finish", true);
  };
  EXPECT_THROW(retry.run(always_hangs), parlab::MpiLaunchError);
  EXPECT_EQ(launches, 1) << "a test gets one second launch, not one per run";
}

TEST(HangRetry, AJobThatHangsTwiceFailsAndSaysSo) {
  parlab::testing::HangRetry retry;
  int launches = 0;
  try {
    retry.run([&]() -> int {
      ++launches;
      throw parlab::MpiLaunchError("did not finish", true);
    });
    ADD_FAILURE() << "a job that always hangs passed";
  } catch (const parlab::MpiLaunchError& error) {
    EXPECT_TRUE(error.timed_out());
    EXPECT_NE(std::string(error.what()).find("the first hung too"), std::string::npos) << error.what();
  }
  EXPECT_EQ(launches, 2);
}

TEST(HangRetry, AFailureThatIsNoHangIsNotRetried) {
  parlab::testing::HangRetry retry;
  int launches = 0;
  EXPECT_THROW(retry.run([&]() -> int {
    ++launches;
    throw parlab::MpiLaunchError("exited with code 1");
  }),
               parlab::MpiLaunchError);
  EXPECT_EQ(launches, 1) << "a crash or a wrong exit code is the program's, every time";
  EXPECT_FALSE(retry.used());
}

TEST(MpiCountsProgram, RejectsBadFlags) {
  parlab::MpiLaunch launch;
  launch.program = PARLAB_PROGRAM_MPI_COUNTS;
  launch.args = {"--impl", "parallel", "--size", "10"};
  launch.timeout = parlab::testing::kRunTimeout;
  const parlab::MpiOutcome outcome = parlab::mpi_launch(launch);
  EXPECT_EQ(outcome.code, 2) << outcome.describe() << "\n" << outcome.err_tail;
  EXPECT_NE(outcome.err_tail.find("--impl"), std::string::npos) << outcome.err_tail;
}

TEST(MpiCountsProgram, BaselineOnOneRankMatchesDeviceIdsSequential) { expect_like_baseline(1, 7, 1000, "sequential"); }

TEST(MpiCounts, OneRank) { expect_like_baseline(1, 1, 2000); }

TEST(MpiCounts, TwoRanks) {
  expect_like_baseline(2, 1, 2000);
  expect_like_baseline(2, 42, 3000);
}

TEST(MpiCounts, ThreeRanks) {
  // On a 2-core machine the launcher adds --oversubscribe: three ranks take turns on two cores.
  expect_like_baseline(3, 5, 3000);
}

}  // namespace
