// Fuzzing: what every libFuzzer target here shares: the input as text, and a broken property
// turned into a crash that libFuzzer records (its input saved under build-fuzz/findings/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "parser_properties.hpp"

namespace parlab::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts, saying which property of which parser broke, unless all held.
inline void enforce(const char* parser, const Checked& checked) {
  if (checked.broken.empty()) return;
  std::fprintf(stderr, "\n%s: property broken: %s\n", parser, checked.broken.c_str());
  std::abort();
}

}  // namespace parlab::fuzz
