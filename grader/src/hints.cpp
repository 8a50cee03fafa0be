// Grader: hints (see hints.hpp).
#include "hints.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "progress.hpp"
#include "timing.hpp"

namespace parlab::grader {

namespace {

bool failed(const PartResult* part) { return part != nullptr && part->verdict == Verdict::fail; }

bool some_test_timed_out(const PartResult& part) {
  if (!part.details.contains("failed")) return false;
  const auto& tests = part.details["failed"];
  return std::any_of(tests.begin(), tests.end(), [](const nlohmann::json& test) {
    return test.value("message", "").find("timed out") != std::string::npos;
  });
}

// Did the timed run overlap anything? The variants' worst carries the figures of its own run.
bool ran_serially(const PartResult& speedup, const std::string& kind) {
  const auto& d = speedup.details;
  if (d.contains("peak_in_flight") && d["peak_in_flight"].is_number() && d["peak_in_flight"].get<double>() <= 1) {
    return true;
  }
  return kind == "cpu" && d.contains("cores_busy") && d["cores_busy"].is_number() &&
         d["cores_busy"].get<double>() < kOneCore;
}

void print_hint(const Exercise& ex, std::size_t number) {
  fmt::print("Hint {} of {} for {} {}:\n  {}\n", number, ex.hints.size(), ex.id, ex.title,
             wrap(ex.hints[number - 1].text, 88, 2));
}

}  // namespace

std::optional<Failure> failure_of(const ExerciseResult& result) {
  for (const char* name : {"tests", "hidden"}) {
    if (const PartResult* part = result.part(name); failed(part)) {
      return Failure{name, some_test_timed_out(*part) ? "hang" : "wrong"};
    }
  }
  if (failed(result.part("differential"))) return Failure{"differential", "wrong"};
  if (failed(result.part("races"))) return Failure{"races", "race"};
  if (const PartResult* speedup = result.part("speedup"); failed(speedup) && speedup->details.contains("measured")) {
    return Failure{"speedup", ran_serially(*speedup, result.kind) ? "serial" : "slow"};
  }
  return std::nullopt;
}

std::optional<std::size_t> hint_for(const Exercise& exercise, const std::string& signal) {
  auto tagged = [&exercise](const std::string& wanted) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < exercise.hints.size(); ++i) {
      const auto& when = exercise.hints[i].when;
      if (std::find(when.begin(), when.end(), wanted) != when.end()) return i + 1;
    }
    return std::nullopt;
  };
  if (auto found = tagged(signal)) return found;
  if (signal == "serial") return tagged("slow");
  if (signal == "slow") return tagged("serial");
  return std::nullopt;
}

void point_at_help(ExerciseResult& result, const Exercise& exercise) {
  const auto failure = failure_of(result);
  if (!failure) return;
  const auto number = hint_for(exercise, failure->signal);
  std::string pointer = number ? fmt::format("see hint {}: make hint EX={}", *number, exercise.id) : "";
  if (failure->part == "speedup") {  // a slow run is easier to see than to describe
    pointer += fmt::format("{}make trace EX={} draws what your threads did", pointer.empty() ? "" : "; ", exercise.id);
  }
  if (pointer.empty()) return;
  for (auto& [name, part] : result.parts) {
    if (name != failure->part) continue;
    if (number) part.details["hint"] = *number;
    part.reason = part.reason.empty() ? pointer : part.reason + " (" + pointer + ")";
  }
}

int show_hints(const HintOptions& options) {
  const auto all = load_all_manifests(options.kit.source_root / "exercises");
  const Exercise& ex = find_exercise(all, options.id);
  if (ex.hints.empty()) {
    fmt::print("{} {} has no hints; its README.md says what to do.\n", ex.id, ex.title);
    return 0;
  }
  const auto file = state_file(options.kit.build_root);
  LearnerState state = load_state(file);
  int& shown = state.hints_shown[ex.id];
  if (options.reset) {
    shown = 0;
    save_state(state, file);
    fmt::print("Hints of {} forgotten: the next `make hint EX={}` starts again at hint 1.\n", ex.id, ex.id);
    return 0;
  }
  const auto count = static_cast<int>(ex.hints.size());
  if (options.all) {
    if (shown == 0) fmt::print("No hint of {} seen yet: `make hint EX={}` shows the first.\n", ex.id, ex.id);
    for (int i = 1; i <= std::min(shown, count); ++i) print_hint(ex, i);
    return 0;
  }
  if (shown >= count) {
    fmt::print("That was every hint of {}. Here they are again:\n", ex.id);
    for (int i = 1; i <= count; ++i) print_hint(ex, i);
    fmt::print("`make trace EX={}` draws what your threads did; the lecture notes work through the idea.\n", ex.id);
    return 0;
  }
  shown = std::max(shown, 0) + 1;
  print_hint(ex, shown);
  if (shown < count) fmt::print("({} more: run it again when this one is not enough.)\n", count - shown);
  save_state(state, file);
  return 0;
}

std::string wrap(const std::string& text, std::size_t width, std::size_t indent) {
  std::istringstream words(text);
  std::string out, line;
  for (std::string word; words >> word;) {
    if (!line.empty() && line.size() + 1 + word.size() + indent > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

}  // namespace parlab::grader
