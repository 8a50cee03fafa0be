// Given, do not modify: how the tests and the bench of exercise 4.3 run the mpi_counts program under
// mpirun and read its answer back.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "device_ids.hpp"
#include "mpi_launch.hpp"

#ifndef PARLAB_PROGRAM_MPI_COUNTS
#error "PARLAB_PROGRAM_MPI_COUNTS (the program's full path) comes from this exercise's meson.build"
#endif

namespace parlab::testing {

// What one run of the program reported on its JSON line.
struct ProgramRun {
  std::string impl;
  std::uint64_t size = 0;
  std::uint64_t seed = 0;
  int ranks = 0;
  double seconds = 0;  // the call alone, without mpirun's start-up
  DeviceIdCounts counts;
};

// The last line of `out` that starts with '{', parsed (a rank may print other lines). Throws
// std::runtime_error, quoting the output, when there is none or a field is missing or malformed.
inline ProgramRun parse_program_line(const std::string& out) {
  std::istringstream lines(out);
  std::string line, last;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.front() == '{') last = line;
  }
  try {
    const nlohmann::json doc = nlohmann::json::parse(last);
    ProgramRun run;
    run.impl = doc.at("impl").get<std::string>();
    run.size = doc.at("size").get<std::uint64_t>();
    run.seed = doc.at("seed").get<std::uint64_t>();
    run.ranks = doc.at("ranks").get<int>();
    run.seconds = doc.at("seconds").get<double>();
    constexpr char kHexDigits[] = "0123456789abcdef";
    const nlohmann::json& by_first_hex = doc.at("by_first_hex");
    if (by_first_hex.size() != run.counts.by_first_hex.size()) throw std::runtime_error("by_first_hex needs 16 digits");
    for (std::size_t digit = 0; digit < run.counts.by_first_hex.size(); ++digit) {
      run.counts.by_first_hex[digit] = by_first_hex.at(std::string(1, kHexDigits[digit])).get<std::uint64_t>();
    }
    run.counts.first_ids = doc.at("first_ids").get<std::vector<std::string>>();
    return run;
  } catch (const std::exception& error) {
    throw std::runtime_error("mpi_counts printed no valid JSON line (" + std::string(error.what()) +
                             "). Its output:\n" + out.substr(0, 2000));
  }
}

// Runs `mpirun -np <ranks> mpi_counts --impl <impl> --size <m> --seed <seed>` and returns its line.
// Throws MpiLaunchError when it fails or does not finish within `timeout` (then mpirun and every
// rank have been stopped), std::runtime_error when its output is not the expected line.
inline ProgramRun run_program(std::string_view impl, unsigned ranks, std::uint64_t seed, std::uint64_t m,
                              std::chrono::milliseconds timeout) {
  MpiLaunch launch;
  launch.program = PARLAB_PROGRAM_MPI_COUNTS;
  launch.args = {"--impl", std::string(impl), "--size", std::to_string(m), "--seed", std::to_string(seed)};
  launch.ranks = ranks;
  launch.timeout = timeout;
  return parse_program_line(mpi_launch_stdout(launch));
}

// Empty when the two results are equal; otherwise the first difference, in words.
inline std::string first_difference(const DeviceIdCounts& got, const DeviceIdCounts& expected) {
  constexpr char kHexDigits[] = "0123456789abcdef";
  for (std::size_t digit = 0; digit < expected.by_first_hex.size(); ++digit) {
    if (got.by_first_hex[digit] != expected.by_first_hex[digit]) {
      return "IDs starting with '" + std::string(1, kHexDigits[digit]) +
             "': " + std::to_string(got.by_first_hex[digit]) + ", expected " +
             std::to_string(expected.by_first_hex[digit]);
    }
  }
  if (got.first_ids.size() != expected.first_ids.size()) {
    return std::to_string(got.first_ids.size()) + " first IDs, expected " + std::to_string(expected.first_ids.size());
  }
  for (std::size_t i = 0; i < expected.first_ids.size(); ++i) {
    if (got.first_ids[i] != expected.first_ids[i]) {
      return "first_ids[" + std::to_string(i) + "] is " + got.first_ids[i] + ", expected " + expected.first_ids[i] +
             " (the ID of index " + std::to_string(i) + ")";
    }
  }
  return {};
}

}  // namespace parlab::testing
