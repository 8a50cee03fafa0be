// Fuzzing: libFuzzer target for parse_manifest_text: an exercise.json's text (grader/src/manifest.hpp).
// Properties: parser_properties.hpp, check_manifest(). How to run: README.md.
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parlab::fuzz::enforce("manifest", parlab::fuzz::check_manifest(parlab::fuzz::as_text(data, size)));
  return 0;
}
