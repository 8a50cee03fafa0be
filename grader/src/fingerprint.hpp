// Grader: what a timed result was measured on, recorded beside it, and which builds are not
// timed at all.
//
// A speedup means something only with its machine (CPU, cores, how loaded), its compiler and
// its flags: an instructor comparing two students' figures, or this week's with last week's,
// needs all of them. And a sanitizer or -O0 build times the instrumentation, not the code, so
// the grader refuses to time one rather than report a number that misleads.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "machine.hpp"

namespace parlab::grader {

// The options a meson build dir was configured with, from its meson-info introspection.
struct BuildFlags {
  std::string buildtype;     // "debugoptimized", "release", ...
  std::string optimization;  // "0", "g", "1", "2", "3", "s", "plain"
  std::string sanitize;      // "none", "thread", "address", ...
  bool known = false;        // false when the introspection file is missing or unreadable
};

BuildFlags read_build_flags(const std::filesystem::path& build_dir);

// Why a build with these flags must not be timed, or empty when it may be.
std::string untimeable_reason(const BuildFlags& flags);

// The machine, its load at this moment, the compiler and the build's flags.
nlohmann::json fingerprint(const Machine& machine, const BuildFlags& flags);

}  // namespace parlab::grader
