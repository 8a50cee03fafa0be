// Fuzzing: libFuzzer target for parse_bench_output: a bench run's stdout (grader/src/bench_line.hpp).
// Properties: parser_properties.hpp, check_bench_line(). How to run: README.md.
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parlab::fuzz::enforce("bench_line", parlab::fuzz::check_bench_line(parlab::fuzz::as_text(data, size)));
  return 0;
}
