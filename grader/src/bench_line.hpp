// Grader: the result line of the shared bench driver (grader/harness/bench_main.cpp), as the
// grader reads it from a bench run's stdout.
//
// A pure function of the text, so the grader's tests and its fuzzers (grader/fuzz) can feed it
// anything the code under test might print.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace parlab::grader {

// What one bench run reports about its one timed call.
struct BenchLine {
  double seconds = 0;       // wall time of the call
  double cpu_seconds = 0;   // CPU time of the call (the process and its reaped children)
  std::string digest;       // of the result: equal results, equal digests
  std::uint64_t bytes = 0;  // what the workload says it moved; 0 when it does not say
  double wait_floor_s = 0;  // the workload's least waiting time; 0 when it does not know
};

// The driver's line in a bench run's stdout: the last line that starts with '{' (whatever the
// code under test printed comes before it). Its times must be numbers, 0 or more, and `bytes` a
// whole number, 0 or more. Throws std::runtime_error saying what is missing or wrong, and
// nothing else, whatever the text (grader/fuzz checks this).
BenchLine parse_bench_output(std::string_view stdout_text);

}  // namespace parlab::grader
