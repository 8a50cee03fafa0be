// Harness: the one bench driver every exercise's bench adapter links against.
//
//   bench_<name> --impl sequential|student --size N --seed S --workers W [--variant V]
//
// prints exactly one JSON line on stdout:
//   {"impl":"student","size":40,"seed":7,"workers":8,"variant":"","seconds":0.142,
//    "cpu_seconds":0.031,"digest":"3f2a..."}           (+ "bytes":N when the workload reports bytes_moved(),
//                                                        "wait_floor_s":S when it reports wait_floor_seconds())
// `seconds` and `cpu_seconds` (this process and its reaped children) cover the one call alone: not start-up, not input
// preparation, not the digest. A failure (bad flags, an exception from the code under test) prints a message on stderr
// and exits non-zero, so the grader never mistakes it for a result.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bench.hpp"

namespace {

// This process's CPU time plus that of the children it has reaped: worker processes (exercise
// 1.3) count too, as long as the call waits for them before it returns.
double cpu_seconds_so_far() {
  auto seconds = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
  double total = 0;
  for (const int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage{};
    getrusage(who, &usage);
    total += seconds(usage.ru_utime) + seconds(usage.ru_stime);
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"parlab bench driver: time one implementation on one workload"};
  std::string impl;
  parlab::bench::Params params;
  app.add_option("--impl", impl, "which implementation to run")
      ->required()
      ->check(CLI::IsMember({"sequential", "student"}));
  app.add_option("--size", params.size, "workload size, in the exercise's unit")->required();
  app.add_option("--seed", params.seed, "seed for the inputs")->default_val(1);
  app.add_option("--workers", params.workers, "workers for the student's version")
      ->default_val(1)
      ->check(CLI::Range(1u, 4096u));
  app.add_option("--variant", params.variant, "which of the exercise's workloads (its timing.variants)");
  CLI11_PARSE(app, argc, argv);

  try {
    auto workload = parlab::bench::make_workload(params);
    const bool student = impl == "student";
    const double cpu_before = cpu_seconds_so_far();
    const auto start = std::chrono::steady_clock::now();
    if (student) {
      workload->run_student();
    } else {
      workload->run_sequential();
    }
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
    const double cpu = cpu_seconds_so_far() - cpu_before;

    nlohmann::json line = {{"impl", impl},
                           {"size", params.size},
                           {"seed", params.seed},
                           {"workers", params.workers},
                           {"variant", params.variant},
                           {"seconds", wall.count()},
                           {"cpu_seconds", cpu},
                           {"digest", workload->digest()}};
    if (const std::uint64_t bytes = workload->bytes_moved(); bytes > 0) line["bytes"] = bytes;
    if (const double floor = workload->wait_floor_seconds(); floor > 0) line["wait_floor_s"] = floor;
    std::cout << line.dump() << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::cerr << "bench: " << impl << " failed: " << e.what() << '\n';
    return 1;
  }
}
