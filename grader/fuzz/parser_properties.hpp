// Fuzzing: what must hold of each of the grader's parsers, whatever text it is given.
//
// Shared by the libFuzzer targets (fuzz_*.cpp, which abort when a property breaks) and by the
// regression test in the ordinary build (grader/tests/test_parser_regressions.cpp, which runs
// every seed and every input a fuzzer ever found through the same checks). A check returns
// whether the parser accepted the text and, when a property broke, which one; a crash or an
// undefined behaviour inside the parser is the sanitizers' to catch.
#pragma once

#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

#include "bench_line.hpp"
#include "fixture_stats.hpp"
#include "gtest_output.hpp"
#include "manifest.hpp"

namespace parlab::fuzz {

struct Checked {
  bool accepted = false;  // the parser returned a value (false: it refused, the documented way)
  std::string broken;     // the property that did not hold; empty when all did
};

namespace detail {

inline std::string thrown(const std::exception& e) {
  return std::string("threw an undocumented ") + typeid(e).name() + ": " + e.what();
}

// The JSON value at `path` ("timing.bar.model") when `text` is JSON and holds one; else null.
inline nlohmann::json at_path(const nlohmann::json& doc, std::string_view path) {
  const nlohmann::json* node = &doc;
  while (!path.empty()) {
    const auto dot = path.find('.');
    const std::string key(path.substr(0, dot));
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return *node;
}

// An integer field was read as exactly the number the text holds (`value`, null when the field
// is absent and its default applies): no fraction cut off, no negative number wrapped round,
// nothing out of range clamped. Empty when it holds.
template <typename T>
std::string exact_integer(const nlohmann::json& value, std::string_view name, T parsed) {
  if (value.is_null()) return {};
  const bool same = value.is_number_unsigned()  ? std::cmp_equal(parsed, value.get<std::uint64_t>())
                    : value.is_number_integer() ? std::cmp_equal(parsed, value.get<std::int64_t>())
                                                : false;
  return same ? std::string{}
              : "\"" + std::string(name) + "\" = " + value.dump() + " was read as " + std::to_string(parsed);
}

inline bool plain_file_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name.front() != '.';
}

// "N.K", both positive with no leading zero; `lecture` receives N's text.
inline bool id_shaped(const std::string& id, std::string& lecture) {
  const auto dot = id.find('.');
  if (dot == std::string::npos) return false;
  const auto number = [](std::string_view s) {
    return !s.empty() && s.front() != '0' && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  lecture = id.substr(0, dot);
  return number(lecture) && number(std::string_view(id).substr(dot + 1));
}

inline bool finite_at_least(double value, double low) { return std::isfinite(value) && value >= low; }

// The ranges grader/README.md's manifest table and manifest.hpp give, and every integer read
// exactly as written.
inline std::string manifest_ranges(const grader::Exercise& ex, std::string_view text) {
  std::string lecture;
  if (!id_shaped(ex.id, lecture)) return "id \"" + ex.id + "\" is not N.K";
  if (std::to_string(ex.lecture) != lecture) return "lecture " + std::to_string(ex.lecture) + " is not id's";
  if (ex.kind != "cpu" && ex.kind != "io" && ex.kind != "mixed" && ex.kind != "sync") return "kind " + ex.kind;
  if (ex.student_files.empty()) return "no student files";
  for (const auto& file : ex.student_files) {
    if (!plain_file_name(file)) return "student file \"" + file + "\" is not a plain name";
  }
  const grader::Points& p = ex.points;
  if (p.tests < 0 || p.hidden < 0 || p.races < 0 || p.speedup < 0) return "negative points";
  if (ex.timeout.count() <= 0) return "timeout not positive";
  if (ex.memory_mb < 1 || ex.memory_mb > (std::numeric_limits<std::uint64_t>::max() >> 20)) {
    return "memory_mb " + std::to_string(ex.memory_mb) + " is no limit, or overflows in bytes";
  }
  const grader::TimingPlan& t = ex.timing;
  if (t.rounds < 3) return "fewer than 3 rounds";
  const grader::Bar& bar = t.bar;
  if (bar.model == "fixed") {
    if (!(finite_at_least(bar.speedup, 1) && bar.speedup > 1)) return "fixed bar not above 1";
  } else if (bar.model == "cpu" || bar.model == "io") {
    if (!(bar.efficiency > 0 && bar.efficiency <= 1)) return "efficiency outside (0, 1]";
    if (bar.model == "io" && t.workers == 0) return "io bar without workers";
  } else {
    return "bar model " + bar.model;
  }
  if (!finite_at_least(bar.at_most, 0)) return "at_most is negative or not finite";
  for (const auto& variant : t.variants) {
    if (variant.empty() || variant.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
      return "variant \"" + variant + "\"";
    }
  }
  for (const auto& hint : ex.hints) {
    if (hint.text.empty()) return "empty hint";
    for (const auto& signal : hint.when) {
      if (signal != "wrong" && signal != "hang" && signal != "race" && signal != "slow" && signal != "serial") {
        return "hint signal " + signal;
      }
    }
  }
  if (ex.python) {
    if (!finite_at_least(ex.python->sequential_s, 0) || !finite_at_least(ex.python->parallel_s, 0)) {
      return "python time negative or not finite";
    }
    if (ex.python->origin != "seed" && ex.python->origin != "measured here") return "python origin";
  }

  // Integers exactly as written. The text parsed once already, so this parse succeeds.
  const nlohmann::json doc = nlohmann::json::parse(text);
  const auto exact = [&doc](std::string_view path, auto parsed) {
    return exact_integer(at_path(doc, path), path, parsed);
  };
  for (const std::string& broken : {
           exact("lecture", ex.lecture),
           exact("points.tests", p.tests),
           exact("points.hidden", p.hidden),
           exact("points.races", p.races),
           exact("points.speedup", p.speedup),
           exact("timeout_seconds", ex.timeout.count()),
           exact("memory_mb", ex.memory_mb),
           exact("timing.size", t.size),
           exact("timing.workers", t.workers),
           exact("timing.rounds", t.rounds),
           exact("timing.evidence.max_threads", t.evidence.max_threads),
           exact("timing.evidence.peak_in_flight", t.evidence.peak_in_flight),
           exact("timing.evidence.max_rss_mb", t.evidence.max_rss_mb),
       }) {
    if (!broken.empty()) return broken;
  }
  const nlohmann::json sizes = at_path(doc, "differential.sizes");
  for (std::size_t i = 0; i < ex.differential_sizes.size(); ++i) {
    const std::string name = "differential.sizes[" + std::to_string(i) + "]";
    if (std::string broken = exact_integer(sizes.at(i), name, ex.differential_sizes[i]); !broken.empty()) return broken;
  }
  return {};
}

// The names of a --gtest_list_tests listing, read line by line from a string_view: a line loses
// any "  #" comment and its trailing spaces; a blank line is skipped; a line that starts with a
// space is a case of the suite above it (its leading spaces gone); any other line is a suite.
// Neither a DISABLED_ suite's cases nor a DISABLED_ case are named.
inline std::vector<std::string> listed_names(std::string_view text) {
  std::vector<std::string> names;
  std::string_view suite;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    line = line.substr(0, line.find("  #"));
    line = line.substr(0, line.find_last_not_of(' ') + 1);  // npos + 1 == 0: all spaces
    if (line.empty()) continue;
    if (line.front() != ' ') {
      suite = line;
      continue;
    }
    const std::string_view test = line.substr(line.find_first_not_of(' '));
    if (!suite.starts_with("DISABLED_") && !test.starts_with("DISABLED_")) {
      names.push_back(std::string(suite) + std::string(test));
    }
  }
  return names;
}

}  // namespace detail

// parse_manifest_text: throws std::runtime_error and nothing else, its message naming the file;
// what it accepts is within the documented ranges, every integer read exactly.
inline Checked check_manifest(std::string_view text) {
  static const std::string kFile = "fuzz/exercise.json";
  Checked checked;
  try {
    const grader::Exercise ex = grader::parse_manifest_text(text, kFile);
    checked.accepted = true;
    checked.broken = detail::manifest_ranges(ex, text);
  } catch (const std::runtime_error& e) {
    if (!std::string_view(e.what()).starts_with(kFile + ": "))
      checked.broken = "error without the file: " + std::string(e.what());
  } catch (const std::exception& e) {
    checked.broken = detail::thrown(e);
  }
  return checked;
}

// parse_gtest_report: never throws; a test that passed has no failure message.
inline Checked check_gtest_report(std::string_view text) {
  Checked checked;
  try {
    const auto outcomes = grader::parse_gtest_report(text);
    checked.accepted = outcomes.has_value();
    for (const auto& outcome : outcomes.value_or(std::vector<grader::TestOutcome>{})) {
      if (outcome.name.find('.') == std::string::npos) checked.broken = "name without a dot: " + outcome.name;
      if (outcome.passed && !outcome.message.empty()) checked.broken = "a passed test with a failure message";
      if (!checked.broken.empty()) break;
    }
  } catch (const std::exception& e) {
    checked.broken = detail::thrown(e);
  }
  return checked;
}

// parse_test_list: never throws; every name is one line's worth and trimmed, and the names are
// those the listing's grammar (gtest_output.hpp) gives, read a second way (detail::listed_names).
inline Checked check_gtest_list(std::string_view text) {
  Checked checked;
  try {
    const std::vector<std::string> names = grader::parse_test_list(text);
    checked.accepted = true;
    for (const auto& name : names) {
      if (name.empty() || name.front() == ' ' || name.back() == ' ' || name.find('\n') != std::string::npos) {
        checked.broken = "name not trimmed to one line: \"" + name + "\"";
        return checked;
      }
    }
    if (names != detail::listed_names(text)) checked.broken = "names other than the listing's grammar gives";
  } catch (const std::exception& e) {
    checked.broken = detail::thrown(e);
  }
  return checked;
}

// parse_bench_output: throws std::runtime_error and nothing else; times are finite and not
// negative (the grader divides and takes medians of them); bytes exactly as written.
inline Checked check_bench_line(std::string_view text) {
  Checked checked;
  try {
    const grader::BenchLine line = grader::parse_bench_output(text);
    checked.accepted = true;
    if (!detail::finite_at_least(line.seconds, 0) || !detail::finite_at_least(line.cpu_seconds, 0) ||
        !detail::finite_at_least(line.wait_floor_s, 0)) {
      checked.broken = "a time negative or not finite";
    } else {
      const std::string_view last =
          text.substr(text.rfind("\n{") == std::string_view::npos ? 0 : text.rfind("\n{") + 1);
      const auto doc = nlohmann::json::parse(last.substr(0, last.find('\n')), nullptr, false);
      if (doc.is_object()) checked.broken = detail::exact_integer(detail::at_path(doc, "bytes"), "bytes", line.bytes);
    }
  } catch (const std::runtime_error&) {
  } catch (const std::exception& e) {
    checked.broken = detail::thrown(e);
  }
  return checked;
}

// parse_fixture_stats: throws std::runtime_error and nothing else (fixture_env.hpp); what it
// accepts has every route's three counters as unsigned integers, "total" among the routes.
inline Checked check_fixture_stats(std::string_view text) {
  Checked checked;
  try {
    const nlohmann::json stats = parlab::parse_fixture_stats(text);
    checked.accepted = true;
    if (!stats.is_object() || !stats.contains("total")) {
      checked.broken = "not an object with \"total\"";
    } else {
      for (const auto& [route, counters] : stats.items()) {
        for (const char* field : {"requests", "in_flight", "peak_in_flight"}) {
          if (!counters.is_object() || !counters.contains(field) || !counters[field].is_number_unsigned()) {
            checked.broken = "route \"" + route + "\" without an unsigned " + field;
          }
        }
      }
    }
  } catch (const std::runtime_error&) {
  } catch (const std::exception& e) {
    checked.broken = detail::thrown(e);
  }
  return checked;
}

}  // namespace parlab::fuzz
