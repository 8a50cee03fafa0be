// Grader: reading and checking exercise.json (see manifest.hpp).
#include "manifest.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace parlab::grader {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The failures a hint can be tagged with; hints.cpp derives them from a graded exercise.
const std::vector<std::string> kHintSignals = {"wrong", "hang", "race", "slow", "serial"};

// Every complaint names the file and the field, so an instructor fixes it in one go.
[[noreturn]] void bad(const fs::path& file, const std::string& what) {
  throw std::runtime_error(fmt::format("{}: {}", file.string(), what));
}

// An integer field: a whole number within T, exactly as written. nlohmann's get<T>() would cut
// off a fraction, wrap a negative number round, and convert a float beyond T (1e39) with
// undefined behaviour.
template <typename T>
T whole_number(const json& value, const fs::path& file, const std::string& name) {
  if (!value.is_number()) bad(file, fmt::format("\"{}\" has the wrong type", name));
  const bool fits = value.is_number_unsigned()  ? std::in_range<T>(value.get<std::uint64_t>())
                    : value.is_number_integer() ? std::in_range<T>(value.get<std::int64_t>())
                                                : false;
  if (!fits) {
    bad(file, fmt::format("\"{}\" must be a whole number from {} to {}", name, std::numeric_limits<T>::min(),
                          std::numeric_limits<T>::max()));
  }
  return value.is_number_unsigned() ? static_cast<T>(value.get<std::uint64_t>())
                                    : static_cast<T>(value.get<std::int64_t>());
}

template <typename T>
T field(const json& object, const char* key, const fs::path& file, const std::string& where) {
  if (!object.contains(key)) bad(file, fmt::format("missing \"{}{}\"", where, key));
  const json& value = object.at(key);
  const std::string name = where + key;
  if constexpr (std::is_integral_v<T>) {
    return whole_number<T>(value, file, name);
  } else if constexpr (std::is_same_v<T, std::vector<std::size_t>>) {
    if (!value.is_array()) bad(file, fmt::format("\"{}\" has the wrong type", name));
    T numbers;
    for (const json& number : value) numbers.push_back(whole_number<std::size_t>(number, file, name + "[]"));
    return numbers;
  } else if constexpr (std::is_same_v<T, std::map<std::string, std::size_t>>) {
    if (!value.is_object()) bad(file, fmt::format("\"{}\" has the wrong type", name));
    T numbers;
    for (const auto& [key, number] : value.items())
      numbers[key] = whole_number<std::size_t>(number, file, name + "." + key);
    return numbers;
  } else {
    try {
      return value.get<T>();
    } catch (const json::exception&) {
      bad(file, fmt::format("\"{}\" has the wrong type", name));
    }
  }
}

template <typename T>
T field_or(const json& object, const char* key, T fallback, const fs::path& file, const std::string& where) {
  return object.contains(key) ? field<T>(object, key, file, where) : fallback;
}

// "N.K" as its two numbers, each from 1 to INT_MAX with no leading zero; nullopt for anything
// else (std::stoi threw std::out_of_range on 99999999999.1, which no caller expected).
std::optional<std::pair<int, int>> id_numbers(std::string_view id) {
  const auto number = [](std::string_view digits) -> std::optional<int> {
    if (digits.empty() || digits.front() == '0' || digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    int value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return value;
  };
  const auto dot = id.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto lecture = number(id.substr(0, dot));
  const auto exercise = number(id.substr(dot + 1));
  if (!lecture || !exercise) return std::nullopt;
  return std::pair{*lecture, *exercise};
}

}  // namespace

std::string Exercise::lecture_dir() const { return dir.begin()->string(); }

std::string Exercise::target_alias() const {
  std::string alias = "ex_" + id;
  std::replace(alias.begin(), alias.end(), '.', '_');
  return alias;
}

Exercise load_manifest(const fs::path& manifest_path, const fs::path& exercises_root) {
  std::ifstream in(manifest_path);
  if (!in) bad(manifest_path, "cannot be read");
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  Exercise ex = parse_manifest_text(text, manifest_path);
  ex.dir = fs::relative(manifest_path.parent_path(), exercises_root);
  return ex;
}

Exercise parse_manifest_text(std::string_view text, const fs::path& manifest_path) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number beyond a double
    bad(manifest_path, fmt::format("is not valid JSON ({})", e.what()));
  }
  if (!doc.is_object()) bad(manifest_path, "must hold a JSON object");

  Exercise ex;
  ex.id = field<std::string>(doc, "id", manifest_path, "");
  const auto numbers = id_numbers(ex.id);
  if (!numbers) {
    bad(manifest_path, fmt::format("\"id\" must look like 1.2 (two whole numbers from 1 to {}), not \"{}\"",
                                   std::numeric_limits<int>::max(), ex.id));
  }
  ex.title = field<std::string>(doc, "title", manifest_path, "");
  ex.lecture = field<int>(doc, "lecture", manifest_path, "");
  if (ex.lecture != numbers->first) bad(manifest_path, "\"lecture\" disagrees with \"id\"");
  ex.kind = field<std::string>(doc, "kind", manifest_path, "");
  if (ex.kind != "cpu" && ex.kind != "io" && ex.kind != "mixed" && ex.kind != "sync") {
    bad(manifest_path, "\"kind\" must be one of cpu, io, mixed, sync");
  }
  ex.student_files = field<std::vector<std::string>>(doc, "student_files", manifest_path, "");
  if (ex.student_files.empty()) bad(manifest_path, "\"student_files\" is empty");
  for (const auto& file : ex.student_files) {
    if (file.empty() || file.find('/') != std::string::npos || file.front() == '.') {
      bad(manifest_path, fmt::format("student file \"{}\" must be a plain file name", file));
    }
  }

  const json points = field<json>(doc, "points", manifest_path, "");
  ex.points.tests = field<int>(points, "tests", manifest_path, "points.");
  ex.points.hidden = field<int>(points, "hidden", manifest_path, "points.");
  ex.points.races = field<int>(points, "races", manifest_path, "points.");
  ex.points.speedup = field<int>(points, "speedup", manifest_path, "points.");
  if (std::min({ex.points.tests, ex.points.hidden, ex.points.races, ex.points.speedup}) < 0) {
    bad(manifest_path, "points must not be negative");
  }

  const int timeout = field_or<int>(doc, "timeout_seconds", 30, manifest_path, "");
  if (timeout <= 0) bad(manifest_path, "\"timeout_seconds\" must be positive");
  ex.timeout = std::chrono::seconds(timeout);
  ex.memory_mb = field_or<std::uint64_t>(doc, "memory_mb", 2048, manifest_path, "");
  // 0 would be "no limit" to the supervisor, and the limit in bytes (memory_mb << 20) must fit.
  constexpr std::uint64_t kMaxMemoryMb = std::numeric_limits<std::uint64_t>::max() >> 20;
  if (ex.memory_mb < 1 || ex.memory_mb > kMaxMemoryMb) {
    bad(manifest_path, fmt::format("\"memory_mb\" must be from 1 to {}", kMaxMemoryMb));
  }

  const json timing = field<json>(doc, "timing", manifest_path, "");
  ex.timing.size = field<std::size_t>(timing, "size", manifest_path, "timing.");
  ex.timing.unit = field_or<std::string>(timing, "unit", "item", manifest_path, "timing.");
  ex.timing.workers = field_or<unsigned>(timing, "workers", 0, manifest_path, "timing.");
  ex.timing.rounds = field_or<unsigned>(timing, "rounds", 5, manifest_path, "timing.");
  if (ex.timing.rounds < 3) bad(manifest_path, "\"timing.rounds\" must be at least 3");
  const json bar = field<json>(timing, "bar", manifest_path, "timing.");
  ex.timing.bar.model = field<std::string>(bar, "model", manifest_path, "timing.bar.");
  if (ex.timing.bar.model == "fixed") {
    ex.timing.bar.speedup = field<double>(bar, "speedup", manifest_path, "timing.bar.");
    if (ex.timing.bar.speedup <= 1) bad(manifest_path, "\"timing.bar.speedup\" must be above 1");
  } else if (ex.timing.bar.model == "cpu" || ex.timing.bar.model == "io") {
    ex.timing.bar.efficiency = field<double>(bar, "efficiency", manifest_path, "timing.bar.");
    if (ex.timing.bar.efficiency <= 0 || ex.timing.bar.efficiency > 1) {
      bad(manifest_path, "\"timing.bar.efficiency\" must be in (0, 1]");
    }
  } else {
    bad(manifest_path, "\"timing.bar.model\" must be cpu, io or fixed");
  }
  ex.timing.bar.at_most = field_or<double>(bar, "at_most", 0.0, manifest_path, "timing.bar.");
  if (ex.timing.bar.at_most < 0) bad(manifest_path, "\"timing.bar.at_most\" must not be negative (0: no cap)");
  if (ex.timing.bar.model == "io" && ex.timing.workers == 0) {
    bad(manifest_path, "an io bar needs \"timing.workers\"");
  }
  ex.timing.variants = field_or<std::vector<std::string>>(timing, "variants", {}, manifest_path, "timing.");
  for (const std::string& variant : ex.timing.variants) {
    if (variant.empty() || variant.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
      bad(manifest_path, "\"timing.variants\" must be names of lower-case letters, digits and _");
    }
  }
  ex.timing.variant_sizes =
      field_or<std::map<std::string, std::size_t>>(timing, "variant_sizes", {}, manifest_path, "timing.");
  for (const auto& [variant, size] : ex.timing.variant_sizes) {
    if (std::ranges::count(ex.timing.variants, variant) == 0) {
      bad(manifest_path,
          fmt::format("\"timing.variant_sizes\" names \"{}\", which is not in \"timing.variants\"", variant));
    }
    if (size == 0) bad(manifest_path, "\"timing.variant_sizes\" must be above 0");
  }
  if (timing.contains("evidence")) {
    const json evidence = field<json>(timing, "evidence", manifest_path, "timing.");
    ex.timing.evidence.max_threads = field_or<unsigned>(evidence, "max_threads", 0, manifest_path, "timing.evidence.");
    ex.timing.evidence.peak_in_flight =
        field_or<unsigned>(evidence, "peak_in_flight", 0, manifest_path, "timing.evidence.");
    ex.timing.evidence.max_rss_mb = field_or<unsigned>(evidence, "max_rss_mb", 0, manifest_path, "timing.evidence.");
  }
  if (doc.contains("differential")) {
    ex.differential_sizes =
        field<std::vector<std::size_t>>(doc["differential"], "sizes", manifest_path, "differential.");
  }

  if (doc.contains("python")) {
    const json python = field<json>(doc, "python", manifest_path, "");
    PythonFigure& figure = ex.python.emplace();
    // A figure the seed does not give is null, as in the notes' tables.
    auto seconds = [&](const char* key) {
      if (!python.contains(key) || python[key].is_null()) return 0.0;
      const double value = field<double>(python, key, manifest_path, "python.");
      if (value <= 0) bad(manifest_path, fmt::format("\"python.{}\" must be positive or null", key));
      return value;
    };
    figure.sequential_s = seconds("sequential_s");
    figure.parallel_s = seconds("parallel_s");
    figure.how = field_or<std::string>(python, "how", "", manifest_path, "python.");
    figure.workload = field<std::string>(python, "workload", manifest_path, "python.");
    figure.origin = field<std::string>(python, "origin", manifest_path, "python.");
    if (figure.origin != "seed" && figure.origin != "measured here") {
      bad(manifest_path, "\"python.origin\" must be \"seed\" or \"measured here\"");
    }
  }

  const json hints = field_or<json>(doc, "hints", json::array(), manifest_path, "");
  if (!hints.is_array()) bad(manifest_path, "\"hints\" must be a list of {\"text\", \"when\"} objects");
  for (const json& hint : hints) {
    Hint& added = ex.hints.emplace_back();
    added.text = field<std::string>(hint, "text", manifest_path, "hints[].");
    added.when = field_or<std::vector<std::string>>(hint, "when", {}, manifest_path, "hints[].");
    if (added.text.empty()) bad(manifest_path, "a hint's \"text\" is empty");
    for (const std::string& signal : added.when) {
      if (std::find(kHintSignals.begin(), kHintSignals.end(), signal) == kHintSignals.end()) {
        bad(manifest_path, fmt::format("hint signal \"{}\" must be one of {}", signal, fmt::join(kHintSignals, ", ")));
      }
    }
  }

  return ex;
}

std::vector<Exercise> load_all_manifests(const fs::path& exercises_root) {
  std::vector<Exercise> all;
  if (!fs::is_directory(exercises_root)) {
    throw std::runtime_error(fmt::format("{}: no such exercises folder", exercises_root.string()));
  }
  for (const auto& lecture : fs::directory_iterator(exercises_root)) {
    if (!lecture.is_directory()) continue;
    for (const auto& exercise : fs::directory_iterator(lecture.path())) {
      const fs::path manifest = exercise.path() / "exercise.json";
      if (fs::is_regular_file(manifest)) all.push_back(load_manifest(manifest, exercises_root));
    }
  }
  std::sort(all.begin(), all.end(),
            [](const Exercise& a, const Exercise& b) { return id_numbers(a.id).value() < id_numbers(b.id).value(); });
  for (std::size_t i = 1; i < all.size(); ++i) {
    if (all[i].id == all[i - 1].id) {
      throw std::runtime_error(
          fmt::format("two exercises claim id {}: {} and {}", all[i].id, all[i - 1].dir.string(), all[i].dir.string()));
    }
  }
  return all;
}

const Exercise& find_exercise(const std::vector<Exercise>& all, const std::string& id) {
  const auto found = std::find_if(all.begin(), all.end(), [&id](const Exercise& e) { return e.id == id; });
  if (found == all.end()) throw std::runtime_error(fmt::format("no exercise {} (see `grader list`)", id));
  return *found;
}

}  // namespace parlab::grader
