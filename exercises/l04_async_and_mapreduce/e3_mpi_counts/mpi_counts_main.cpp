// Given, do not modify: the MPI program of exercise 4.3. Every rank runs this main().
//
//   mpirun -np R mpi_counts --impl sequential|student --size M [--seed S]
//
// calls mpi_counts_sequential() or your mpi_counts() on every rank, then rank 0 (only) prints one
// JSON line:
//   {"impl":"student","size":1000,"seed":1,"ranks":2,"seconds":0.0004,
//    "by_first_hex":{"0":61,"1":58,...,"f":70},"first_ids":["5a0c...",...]}
// `by_first_hex` holds the 16 counts under their hex digit; `first_ids` the IDs of indices 0 to 4
// (fewer when M < 5). `seconds` is the call alone, measured on rank 0 from a barrier that every
// rank passes first: neither mpirun's start-up nor MPI_Init counts (the grader's timing counts
// both, for the baseline and for you alike).
//
// Exit status: 0 after the line; 2 (and a message from rank 0) for bad flags; 1 when a rank
// fails: it prints why on stderr and aborts the whole job (MPI_Abort), since the other ranks may
// be waiting for it in a collective call and would otherwise wait forever.
#include <mpi.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "device_ids.hpp"
#include "mpi_counts.hpp"

namespace {

nlohmann::json to_json(const parlab::DeviceIdCounts& counts) {
  constexpr char kHexDigits[] = "0123456789abcdef";
  nlohmann::json by_first_hex = nlohmann::json::object();
  for (std::size_t digit = 0; digit < counts.by_first_hex.size(); ++digit) {
    by_first_hex[std::string(1, kHexDigits[digit])] = counts.by_first_hex[digit];
  }
  return {{"by_first_hex", by_first_hex}, {"first_ids", counts.first_ids}};
}

}  // namespace

int main(int argc, char** argv) {
  // FUNNELED: a rank may run threads of its own, as long as only this thread calls MPI.
  int provided = MPI_THREAD_SINGLE;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int rank = 0;
  int ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);

  // Every rank gets the same arguments and parses them alike, so all agree on the outcome; only
  // rank 0 speaks, so a mistake is reported once, not once per rank.
  CLI::App app{"parlab 4.3: count device IDs by first hex digit on every rank of an MPI job"};
  std::string impl;
  std::uint64_t size = 0;
  std::uint64_t seed = 1;
  app.add_option("--impl", impl, "sequential (the baseline: rank 0 alone) or student (mpi_counts)")
      ->required()
      ->check(CLI::IsMember({"sequential", "student"}));
  app.add_option("--size", size, "how many device IDs (M)")->required();
  app.add_option("--seed", seed, "the seed every ID derives from")->default_val(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = rank == 0 ? app.exit(error) : error.get_exit_code();
    MPI_Finalize();
    return code == 0 ? 0 : 2;  // --help is not an error
  }

  try {
    // Start the clock together: ranks finish MPI_Init at different times.
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    const parlab::DeviceIdCounts counts = impl == "student" ? parlab::mpi_counts(seed, size, MPI_COMM_WORLD)
                                                            : parlab::mpi_counts_sequential(seed, size, MPI_COMM_WORLD);
    const double seconds = MPI_Wtime() - start;
    if (rank == 0) {
      nlohmann::json line = {{"impl", impl}, {"size", size}, {"seed", seed}, {"ranks", ranks}, {"seconds", seconds}};
      line.update(to_json(counts));
      std::cout << line.dump() << std::endl;
    }
  } catch (const std::exception& error) {
    std::cout.flush();
    std::cerr << "mpi_counts: rank " << rank << " of " << ranks << " failed: " << error.what() << std::endl;
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Finalize();
  return 0;
}
