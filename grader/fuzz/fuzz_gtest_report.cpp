// Fuzzing: libFuzzer target for parse_gtest_report: a GoogleTest JSON report (grader/src/gtest_output.hpp).
// Properties: parser_properties.hpp, check_gtest_report(). How to run: README.md.
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parlab::fuzz::enforce("gtest_report", parlab::fuzz::check_gtest_report(parlab::fuzz::as_text(data, size)));
  return 0;
}
