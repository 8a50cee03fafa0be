// Grader: rendering a run's results (see report.hpp).
#include "report.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <sstream>

namespace parlab::grader {

std::string to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return "pass";
    case Verdict::fail:
      return "fail";
    case Verdict::inconclusive:
      return "inconclusive";
    case Verdict::skipped:
      return "skipped";
    case Verdict::error:
      return "error";
  }
  return "error";
}

int ExerciseResult::score() const {
  return std::accumulate(parts.begin(), parts.end(), 0, [](int sum, const auto& p) { return sum + p.second.score; });
}
int ExerciseResult::max_score() const {
  return std::accumulate(parts.begin(), parts.end(), 0,
                         [](int sum, const auto& p) { return sum + p.second.max_score; });
}
const PartResult* ExerciseResult::part(const std::string& name) const {
  for (const auto& [key, value] : parts) {
    if (key == name) return &value;
  }
  return nullptr;
}

int RunReport::score() const {
  return std::accumulate(exercises.begin(), exercises.end(), 0, [](int s, const auto& e) { return s + e.score(); });
}
int RunReport::max_score() const {
  return std::accumulate(exercises.begin(), exercises.end(), 0, [](int s, const auto& e) { return s + e.max_score(); });
}

nlohmann::json to_json(const RunReport& report) {
  nlohmann::json exercises = nlohmann::json::array();
  for (const auto& ex : report.exercises) {
    nlohmann::json parts = nlohmann::json::object();
    for (const auto& [name, part] : ex.parts) {
      nlohmann::json entry = part.details;
      entry["verdict"] = to_string(part.verdict);
      if (!part.reason.empty()) entry["reason"] = part.reason;
      if (!part.excerpt.empty()) entry["excerpt"] = part.excerpt;
      if (!part.explanation.empty()) entry["explanation"] = part.explanation;
      entry["score"] = part.score;
      entry["max_score"] = part.max_score;
      parts[name] = std::move(entry);
    }
    exercises.push_back({{"id", ex.id},
                         {"title", ex.title},
                         {"kind", ex.kind},
                         {"parts", std::move(parts)},
                         {"score", ex.score()},
                         {"max_score", ex.max_score()}});
  }
  const Containment& fence = report.containment;
  const nlohmann::json containment = {
      {"network",
       fence.network_problem.empty() ? "loopback only" : "shared with the machine: " + fence.network_problem},
      {"task_cap", fence.task_cap_problem.empty() ? "a pids cgroup per child"
                   : !fence.task_cap_by_rlimit    ? "none: " + fence.task_cap_problem
                   : fence.task_cap_user.empty()  ? "RLIMIT_NPROC, as " + fence.task_cap_problem
                                                  : "RLIMIT_NPROC with the tests run as " + fence.task_cap_user +
                                                       ", as " + fence.task_cap_problem}};
  return {{"machine", to_json(report.machine)},
          {"tree", report.tree},
          {"seed", report.seed},
          {"containment", containment},
          {"exercises", std::move(exercises)},
          {"score", report.score()},
          {"max_score", report.max_score()}};
}

namespace {

std::string verdict_word(Verdict verdict, bool colour) {
  struct Look {
    const char* word;
    fmt::terminal_color color;
  };
  const Look look = [verdict]() -> Look {
    switch (verdict) {
      case Verdict::pass:
        return {"OK", fmt::terminal_color::green};
      case Verdict::fail:
        return {"FAIL", fmt::terminal_color::red};
      case Verdict::inconclusive:
        return {"UNSURE", fmt::terminal_color::yellow};
      case Verdict::skipped:
        return {"skip", fmt::terminal_color::bright_black};
      case Verdict::error:
        return {"ERROR", fmt::terminal_color::magenta};
    }
    return {"?", fmt::terminal_color::white};
  }();
  const std::string padded = fmt::format("{:<6}", look.word);
  return colour ? fmt::format(fmt::fg(look.color) | fmt::emphasis::bold, "{}", padded) : padded;
}

// Indents a quoted excerpt so it reads as belonging to the part above it.
std::string indent(const std::string& text, const char* prefix) {
  std::istringstream lines(text);
  std::string out;
  for (std::string line; std::getline(lines, line);) out += prefix + line + "\n";
  return out;
}

}  // namespace

void print_exercise(std::FILE* out, const ExerciseResult& ex, bool colour) {
  const std::string heading = fmt::format("{} {} ({})", ex.id, ex.title, ex.kind);
  fmt::print(out, "{}\n", colour ? fmt::format(fmt::emphasis::bold, "{}", heading) : heading);
  for (const auto& [name, part] : ex.parts) {
    const std::string points = part.max_score > 0 ? fmt::format("{}/{}", part.score, part.max_score) : "";
    const std::string& text = part.summary.empty() ? part.reason : part.summary;
    fmt::print(out, "  {:<13} {} {:>5}  {}\n", name, verdict_word(part.verdict, colour), points, text);
    if (!part.summary.empty() && !part.reason.empty() && part.verdict != Verdict::pass) {
      fmt::print(out, "{:29}{}\n", "", part.reason);
    }
    if (!part.explanation.empty()) fmt::print(out, "{}", indent(part.explanation, "                             "));
    if (!part.excerpt.empty() && part.verdict != Verdict::pass) fmt::print(out, "{}", indent(part.excerpt, "      | "));
  }
  fmt::print(out, "  {:<20} {:>5}\n\n", "score", fmt::format("{}/{}", ex.score(), ex.max_score()));
}

void print_total(std::FILE* out, const RunReport& report, bool colour) {
  const std::string line = fmt::format("Score: {}/{}", report.score(), report.max_score());
  fmt::print(out, "{}  ({} exercises, tree {}, {} cores, seed {})\n",
             colour ? fmt::format(fmt::emphasis::bold, "{}", line) : line, report.exercises.size(), report.tree,
             report.machine.cores, report.seed);
}

int exit_code(const RunReport& report) {
  bool error = false, inconclusive = false;
  for (const auto& ex : report.exercises) {
    for (const auto& [name, part] : ex.parts) {
      if (part.verdict == Verdict::fail) return 1;
      error = error || part.verdict == Verdict::error;
      inconclusive = inconclusive || part.verdict == Verdict::inconclusive;
    }
  }
  if (error) return 2;
  return inconclusive ? 3 : 0;
}

}  // namespace parlab::grader
