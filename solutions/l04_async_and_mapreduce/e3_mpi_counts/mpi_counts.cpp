// Student file: exercise 4.3, mpi_counts. Reference solution: a slice per rank, one MPI_Reduce, one MPI_Gather.
#include <mpi.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "device_ids.hpp"
#include "mpi_counts.hpp"

namespace parlab {
namespace {

// The first IDs a rank holds travel to rank 0 in one fixed-size block per rank: room for
// kFirstIdsKept IDs of kDeviceIdLength characters (no terminators). A fixed size lets one
// MPI_Gather collect them all; only the ranks whose slice starts below kFirstIdsKept fill theirs.
constexpr std::size_t kBlockChars = kFirstIdsKept * kDeviceIdLength;
using IdBlock = std::array<char, kBlockChars>;

// How many of the first kFirstIdsKept indices lie in `slice`: how many IDs its block holds.
std::size_t first_ids_in(const IndexRange& slice) {
  const std::uint64_t end = std::min<std::uint64_t>(slice.end, kFirstIdsKept);
  return slice.begin < end ? static_cast<std::size_t>(end - slice.begin) : 0;
}

}  // namespace

DeviceIdCounts mpi_counts(std::uint64_t seed, std::uint64_t m, MPI_Comm comm) {
  int rank = 0;
  int ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);

  // Map: this rank's own slice, with its own maker, in its own process. No rank waits for another
  // until its slice is done. A rank with an empty slice (more ranks than IDs) counts nothing, but
  // still makes both collective calls below: every rank of `comm` must.
  const IndexRange slice = rank_slice(m, rank, ranks);
  DeviceIdCounts mine;
  DeviceIdMaker maker;
  count_device_ids(maker, seed, slice.begin, slice.end, mine);

  // Reduce: the 16 counters, summed digit by digit into rank 0's result. Addition is commutative,
  // so the order in which MPI combines the ranks does not matter.
  DeviceIdCounts total;
  MPI_Reduce(mine.by_first_hex.data(), total.by_first_hex.data(), static_cast<int>(mine.by_first_hex.size()),
             MPI_UINT64_T, MPI_SUM, 0, comm);

  // Gather: every rank's block of first IDs, in rank order, to rank 0. Slices are contiguous and in
  // rank order, so appending the blocks rank by rank keeps the IDs in index order. Rank 0 knows
  // every slice (rank_slice is a pure function), hence how many IDs each block really holds.
  IdBlock block{};
  for (std::size_t i = 0; i < mine.first_ids.size(); ++i) {
    std::copy(mine.first_ids[i].begin(), mine.first_ids[i].end(), block.begin() + i * kDeviceIdLength);
  }
  std::vector<char> blocks(rank == 0 ? static_cast<std::size_t>(ranks) * kBlockChars : 0);
  MPI_Gather(block.data(), static_cast<int>(kBlockChars), MPI_CHAR, blocks.data(), static_cast<int>(kBlockChars),
             MPI_CHAR, 0, comm);

  if (rank != 0) return mine;  // unspecified off rank 0: this rank's own share
  for (int from = 0; from < ranks && total.first_ids.size() < kFirstIdsKept; ++from) {
    const char* ids = blocks.data() + static_cast<std::size_t>(from) * kBlockChars;
    const std::size_t count = first_ids_in(rank_slice(m, from, ranks));
    for (std::size_t i = 0; i < count; ++i) total.first_ids.emplace_back(ids + i * kDeviceIdLength, kDeviceIdLength);
  }
  return total;
}

}  // namespace parlab
