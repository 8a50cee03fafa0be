// Grader: build flags and the fingerprint of a timed result (see fingerprint.hpp).
#include "fingerprint.hpp"

#include <fmt/format.h>
#include <fstream>

namespace parlab::grader {

BuildFlags read_build_flags(const std::filesystem::path& build_dir) {
  BuildFlags flags;
  std::ifstream file(build_dir / "meson-info" / "intro-buildoptions.json");
  const auto options = nlohmann::json::parse(file, nullptr, false);
  if (!options.is_array()) return flags;
  for (const auto& option : options) {
    if (!option.is_object() || !option.contains("value")) continue;
    const std::string name = option.value("name", "");
    const auto& value = option["value"];
    // meson stores optimization as a string ("2", "g", "plain"), the others as strings too.
    const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (name == "buildtype") flags.buildtype = text;
    if (name == "optimization") flags.optimization = text;
    if (name == "b_sanitize") flags.sanitize = text;
  }
  flags.known = !flags.optimization.empty();
  return flags;
}

std::string untimeable_reason(const BuildFlags& flags) {
  if (!flags.known) return "";  // not a meson build dir the grader made: nothing to object to
  if (!flags.sanitize.empty() && flags.sanitize != "none") {
    return fmt::format("refusing to time a -fsanitize={} build: it times the sanitizer, not your code; time an "
                       "optimised build without sanitizers",
                       flags.sanitize);
  }
  if (flags.optimization == "0" || flags.optimization == "g" || flags.optimization == "plain") {
    return fmt::format("refusing to time an unoptimised build (optimization={}): configure with "
                       "--buildtype=debugoptimized or release",
                       flags.optimization);
  }
  return "";
}

nlohmann::json fingerprint(const Machine& machine, const BuildFlags& flags) {
  nlohmann::json out = to_json(machine);
  out["load"] = current_load();
  out["load_at_start"] = machine.load;
  out["build"] = {{"buildtype", flags.buildtype}, {"optimization", flags.optimization}, {"sanitize", flags.sanitize}};
  return out;
}

}  // namespace parlab::grader
