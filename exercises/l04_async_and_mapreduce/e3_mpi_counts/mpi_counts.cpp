// Student file: exercise 4.3, mpi_counts. Make mpi_counts() share the counting among the ranks.
#include <mpi.h>

#include <cstdint>

#include "device_ids.hpp"
#include "mpi_counts.hpp"

namespace parlab {

DeviceIdCounts mpi_counts(std::uint64_t seed, std::uint64_t m, MPI_Comm comm) {
  int rank = 0;
  int ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);

  // TODO(student): let every rank count its own slice of [0, m), then reduce the counts to rank 0.
  // Goal: all `ranks` processes busy making IDs, and on rank 0 the result equal to
  // device_ids_sequential(seed, m): the same 16 counts and the same first IDs, in index order.
  // Edge cases: an m that no number of ranks divides, more ranks than IDs (some slices are empty:
  // those ranks still take part in every collective call), m = 0, and first IDs that come from
  // several ranks (with m = 7 on 4 ranks, indices 0..4 lie in the slices of ranks 0, 1 and 2).
  // Hint: rank_slice(m, rank, ranks) is your slice (or write your own split, and say how in a
  // comment). Count it with one DeviceIdMaker and count_device_ids. Then the map's results travel
  // to rank 0: the 16 counters in one MPI_Reduce (MPI_UINT64_T, MPI_SUM), and the first IDs, which
  // only the lowest slices hold, with one MPI_Gather of a fixed-size block per rank (IDs are
  // kDeviceIdLength characters long, at most kFirstIdsKept per rank); rank 0 knows every rank's
  // slice, so it knows how many of each block are real; appended in rank order, they come out in
  // index order. Every rank must make the same collective calls in the same order, or the job
  // waits forever. You may add helper functions to this file.
  //
  // The starter: rank 0 counts everything, exactly like the baseline; the other ranks idle.
  DeviceIdCounts counts;
  if (rank == 0) {
    DeviceIdMaker maker;
    count_device_ids(maker, seed, 0, m, counts);
  }
  return counts;
}

}  // namespace parlab
