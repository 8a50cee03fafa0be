// Given, do not modify: the bench adapter of exercise 4.3, mpi_counts (see bench.hpp).
//
// Workload: `size` device IDs under the seed, counted by first hex digit, by the MPI program:
//   sequential  mpirun -np 1 mpi_counts --impl sequential   (the baseline on one rank; on size 0,
//               -np <workers>: the launch alone, as the student's run pays it)
//   student     mpirun -np <workers> mpi_counts --impl student
// The driver times the whole launch, mpirun's start-up (about half a second) included, for both:
// starting processes is part of the price of distributing work, and a speedup has to pay for it.
// The CPU time it reports covers mpirun and every rank (mpirun reaps its ranks, and the launcher
// reaps mpirun). The grader times 16 million IDs, about 4 s for the baseline.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "bench.hpp"
#include "device_ids.hpp"
#include "digest.hpp"
#include "mpi_counts_run.hpp"

namespace parlab::bench {
namespace {

// Below exercise.json's timeout_seconds (90), so that a job that hangs is stopped by the launcher,
// with SIGTERM to mpirun (which stops its ranks and removes their shared memory), before the grader
// kills the bench's whole process group.
constexpr std::chrono::seconds kLaunchTimeout{50};

class MpiCountsWorkload final : public Workload {
 public:
  MpiCountsWorkload(std::uint64_t seed, std::uint64_t size, unsigned workers)
      : seed_(seed), size_(size), workers_(workers) {}

  // On nothing (size 0), the baseline launches as many ranks as the student's run will: the grader
  // takes that run as the start-up no rank count can shrink (Amdahl's serial part), and starting
  // 2 ranks costs more than starting 1. On any other size it is rank 0 alone.
  void run_sequential() override {
    run_ = testing::run_program("sequential", size_ == 0 ? workers_ : 1, seed_, size_, kLaunchTimeout);
  }
  void run_student() override { run_ = testing::run_program("student", workers_, seed_, size_, kLaunchTimeout); }

  // The size, the 16 counts and the first IDs in order (as 4.2's bench digests them): a dropped,
  // doubled or misplaced ID changes a count or the list.
  std::string digest() const override {
    Sha1 sha;
    sha.update(std::to_string(run_.size)).update("\n");
    for (const std::uint64_t count : run_.counts.by_first_hex) sha.update(std::to_string(count)).update(" ");
    sha.update("\n");
    for (const std::string& id : run_.counts.first_ids) sha.update(id).update("\n");
    return sha.hex();
  }

 private:
  std::uint64_t seed_;
  std::uint64_t size_;
  unsigned workers_;
  testing::ProgramRun run_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  return std::make_unique<MpiCountsWorkload>(params.seed, params.size, params.workers);
}

}  // namespace parlab::bench
