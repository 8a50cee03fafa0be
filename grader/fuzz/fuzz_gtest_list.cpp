// Fuzzing: libFuzzer target for parse_test_list: a --gtest_list_tests listing (grader/src/gtest_output.hpp).
// Properties: parser_properties.hpp, check_gtest_list(). How to run: README.md.
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parlab::fuzz::enforce("gtest_list", parlab::fuzz::check_gtest_list(parlab::fuzz::as_text(data, size)));
  return 0;
}
