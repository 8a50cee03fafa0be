// Given, do not modify: the API of exercise 4.3, mpi_counts, and its contract.
//
// Exercise 4.2's counting (device_ids.hpp: M device IDs, counted by their first hex digit) as an MPI
// program: several processes, the ranks, started by mpirun, on one machine or on several. Rank r
// makes and counts the IDs of its own slice of the indices [0, M); the counts are then reduced to
// rank 0, which holds the whole result. The ranks share no memory: everything rank 0 learns from
// the others arrives in MPI messages.
//
// Every function here that takes a communicator is called from main() of an MPI program, between
// MPI_Init_thread and MPI_Finalize, on the thread that initialized MPI. The given program,
// mpi_counts_main.cpp, is such a main(); it asks for MPI_THREAD_FUNNELED: a rank may start threads
// of its own (not needed here), but only the main thread may call MPI.
#pragma once

#include <mpi.h>

#include <cstdint>

#include "device_ids.hpp"  // exercise 4.2's header, from its folder: DeviceIdCounts, the maker, merging

namespace parlab {

// A half-open range of indices [begin, end).
struct IndexRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;

  std::uint64_t size() const noexcept { return end - begin; }
  bool operator==(const IndexRange&) const = default;
};

// The slice of [0, m) that rank `rank` of `ranks` counts: contiguous slices in rank order (rank 0
// holds the lowest indices), together covering every index exactly once, whose sizes differ by at
// most one (the first m % ranks ranks take one index more). A rank beyond the m-th gets an empty
// slice (begin == end), so ranks > m is fine, and m = 0 gives every rank an empty slice.
// Pure function: thread-safe, never throws. Requires 0 <= rank < ranks.
IndexRange rank_slice(std::uint64_t m, int rank, int ranks) noexcept;

// The baseline: the whole count on rank 0 alone, device_ids_sequential(seed, m), while any other
// rank of `comm` does nothing and gets empty counts. The program runs it on one rank
// (`mpirun -np 1 mpi_counts --impl sequential`), so it is the one-process program, with the same
// start-up, that the grader times yours against. Sends no message; throws what the maker throws.
DeviceIdCounts mpi_counts_sequential(std::uint64_t seed, std::uint64_t m, MPI_Comm comm);

// The same counts, made by every rank of `comm` at once (the student's version).
//
// Collective: every rank of `comm` calls it with the same seed and m, or it never returns (a rank
// that skips a collective call leaves the others waiting in it forever). On rank 0 it returns
// exactly device_ids_sequential(seed, m): the same 16 counts and the same first IDs, in index
// order, for every m (0 included) and any number of ranks (more ranks than IDs included). On the
// other ranks the result is unspecified (their share, or nothing): only rank 0's is used.
// Blocks until this rank's part is done: rank 0 until it holds every rank's counts, the others
// until they have handed theirs over. Throws what the maker throws (a rank that throws must not
// wait for the others: the program aborts the whole job, see mpi_counts_main.cpp). An MPI error
// aborts the job (MPI's default error handler, MPI_ERRORS_ARE_FATAL). Call it from the thread that
// initialized MPI.
DeviceIdCounts mpi_counts(std::uint64_t seed, std::uint64_t m, MPI_Comm comm);

}  // namespace parlab
