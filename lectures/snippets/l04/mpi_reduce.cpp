// Lecture snippet (lecture 4): one program on many processes, with MPI. mpirun starts N copies of
// it (the ranks), on this machine or on the hosts of a hostfile; each rank sums a mixing function
// over its own slice of [0, n), and MPI_Reduce adds the partial sums up on rank 0, which checks the
// total against the same sum made alone. Run it as: mpirun -n 2 build/lectures/l04_mpi_reduce
#define OMPI_SKIP_MPICXX 1  // the C API only: Open MPI's old C++ bindings are deprecated
#include <mpi.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

std::uint64_t sum_of_mix(std::uint64_t begin, std::uint64_t end) {
  std::uint64_t sum = 0;
  for (std::uint64_t i = begin; i < end; ++i) sum += mix(i);
  return sum;
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);   // who am I: 0 .. ranks-1
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);  // how many copies mpirun started
  char host[MPI_MAX_PROCESSOR_NAME];
  int host_length = 0;
  MPI_Get_processor_name(host, &host_length);

  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000'000;
  const std::uint64_t begin = n * rank / ranks, end = n * (rank + 1) / ranks;  // this rank's slice
  const double t0 = MPI_Wtime();
  const std::uint64_t partial = sum_of_mix(begin, end);
  std::printf("rank %d of %d on %s: [%" PRIu64 ", %" PRIu64 ") in %.3f s\n", rank, ranks, host, begin, end,
              MPI_Wtime() - t0);
  std::fflush(stdout);  // each rank's stdout goes through mpirun; flush so that lines are not held back

  // Every rank sends its partial sum; only rank 0 receives the total. The call returns on each rank
  // once its part is done, so ranks other than 0 may go on before rank 0 has the answer.
  std::uint64_t total = 0;
  MPI_Reduce(&partial, &total, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);

  int status = 0;
  if (rank == 0) {
    const double t1 = MPI_Wtime();
    const bool ok = total == sum_of_mix(0, n);  // sums mod 2^64: any split gives the same total
    std::printf("rank 0: total %" PRIu64 " from %d ranks; alone, rank 0 needs %.3f s for it: %s\n", total, ranks,
                MPI_Wtime() - t1, ok ? "the same" : "DIFFERENT");
    status = ok ? 0 : 1;
  }
  MPI_Finalize();
  return status;  // mpirun exits with a failing rank's status
}
