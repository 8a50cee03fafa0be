// Fuzzing: libFuzzer target for parse_fixture_stats: a fixture /stats reply (grader/harness/fixture_stats.hpp).
// Properties: parser_properties.hpp, check_fixture_stats(). How to run: README.md.
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parlab::fuzz::enforce("fixture_stats", parlab::fuzz::check_fixture_stats(parlab::fuzz::as_text(data, size)));
  return 0;
}
