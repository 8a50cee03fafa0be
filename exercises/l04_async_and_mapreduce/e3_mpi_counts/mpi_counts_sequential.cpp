// Given, do not modify: the sequential baseline of exercise 4.3, and rank_slice().
#include <mpi.h>

#include <cstdint>

#include "device_ids.hpp"
#include "mpi_counts.hpp"

namespace parlab {

IndexRange rank_slice(std::uint64_t m, int rank, int ranks) noexcept {
  const auto r = static_cast<std::uint64_t>(rank);
  const auto n = static_cast<std::uint64_t>(ranks);
  const std::uint64_t base = m / n;   // every rank's share, rounded down
  const std::uint64_t extra = m % n;  // the first `extra` ranks take one index more
  const std::uint64_t begin = r * base + (r < extra ? r : extra);
  return {begin, begin + base + (r < extra ? 1 : 0)};
}

DeviceIdCounts mpi_counts_sequential(std::uint64_t seed, std::uint64_t m, MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  // Rank 0 makes every ID in one loop; any other rank has nothing to do.
  if (rank != 0) return {};
  return device_ids_sequential(seed, m);
}

}  // namespace parlab
