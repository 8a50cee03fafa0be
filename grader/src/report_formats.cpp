// Grader: Gradescope, JUnit and Markdown renderings of a run (see report_formats.hpp).
#include "report_formats.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace parlab::grader {
namespace {

namespace pt = boost::property_tree;

std::string test_name(const ExerciseResult& ex, const std::string& part) {
  return fmt::format("{} {}: {}", ex.id, ex.title, part);
}

// What a student reads under a part: its one-line result, why, how it was judged (timing),
// and the output that shows the problem.
std::string part_text(const PartResult& part) {
  std::string text;
  const auto add = [&text](const std::string& block) {
    if (block.empty()) return;
    if (!text.empty()) text += "\n";
    text += block;
  };
  add(part.summary);
  if (part.verdict != Verdict::pass || part.summary.empty()) add(part.reason);
  add(part.explanation);
  if (part.verdict != Verdict::pass) add(part.excerpt);
  return text.empty() ? to_string(part.verdict) : text;
}

// The hidden tests' part stays out of a student's sight until the grades are published; its
// text names the tests and their messages, never their inputs (the hidden tests are written so).
std::string visibility_of(const std::string& part) { return part == "hidden" ? "after_published" : "visible"; }

}  // namespace

nlohmann::json to_gradescope(const RunReport& report, double seconds) {
  nlohmann::json tests = nlohmann::json::array();
  for (const ExerciseResult& ex : report.exercises) {
    for (const auto& [name, part] : ex.parts) {
      tests.push_back({{"name", test_name(ex, name)},
                       {"number", fmt::format("{}.{}", ex.id, tests.size() + 1)},
                       {"score", part.score},
                       {"max_score", part.max_score},
                       {"status", part.verdict == Verdict::pass ? "passed" : "failed"},
                       {"output", part_text(part)},
                       {"visibility", visibility_of(name)}});
    }
  }
  std::string output = fmt::format("parlab: {}/{} points on {} cores (seed {}).", report.score(), report.max_score(),
                                   report.machine.cores, report.seed);
  if (report.machine.cores < 2) {
    output +=
        " This machine gave the grader one core, so no speedup can show: the instructor should give the "
        "autograder more CPUs.";
  }
  return {{"score", report.score()}, {"execution_time", seconds},     {"output", output},
          {"visibility", "visible"}, {"stdout_visibility", "hidden"}, {"tests", tests}};
}

nlohmann::json gradescope_failure(const std::string& why) {
  return {{"score", 0},
          {"output", "The grader could not grade this submission: " + why +
                         "\nHand in the archive `make submit` writes, or your exercises/ folder, and submit again."},
          {"visibility", "visible"},
          {"stdout_visibility", "visible"},
          {"tests", nlohmann::json::array()}};
}

std::string to_junit(const RunReport& report, double seconds) {
  pt::ptree suites;
  int all_tests = 0, all_failures = 0, all_errors = 0, all_skipped = 0;
  for (const ExerciseResult& ex : report.exercises) {
    pt::ptree suite;
    const std::string suite_name = fmt::format("{} {}", ex.id, ex.title);
    int failures = 0, errors = 0, skipped = 0;
    for (const auto& [name, part] : ex.parts) {
      pt::ptree testcase;
      testcase.put("<xmlattr>.classname", suite_name);
      testcase.put("<xmlattr>.name", name);
      const std::string text = part_text(part);
      const std::string message = part.reason.empty() ? part.summary : part.reason;
      switch (part.verdict) {
        case Verdict::pass:
          break;
        case Verdict::fail:
        case Verdict::inconclusive:  // no points: a failure, with the advice in its text
          ++failures;
          testcase.put("failure", text);
          testcase.put("failure.<xmlattr>.message", message);
          testcase.put("failure.<xmlattr>.type", to_string(part.verdict));
          break;
        case Verdict::error:
          ++errors;
          testcase.put("error", text);
          testcase.put("error.<xmlattr>.message", message);
          break;
        case Verdict::skipped:
          ++skipped;
          testcase.put("skipped.<xmlattr>.message", message);
          break;
      }
      testcase.put("system-out", fmt::format("{}/{} points\n{}", part.score, part.max_score, text));
      suite.add_child("testcase", testcase);
    }
    const int count = static_cast<int>(ex.parts.size());
    suite.put("<xmlattr>.name", suite_name);
    suite.put("<xmlattr>.tests", count);
    suite.put("<xmlattr>.failures", failures);
    suite.put("<xmlattr>.errors", errors);
    suite.put("<xmlattr>.skipped", skipped);
    suites.add_child("testsuite", suite);
    all_tests += count;
    all_failures += failures;
    all_errors += errors;
    all_skipped += skipped;
  }
  suites.put("<xmlattr>.name", fmt::format("parlab {}/{} points", report.score(), report.max_score()));
  suites.put("<xmlattr>.tests", all_tests);
  suites.put("<xmlattr>.failures", all_failures);
  suites.put("<xmlattr>.errors", all_errors);
  suites.put("<xmlattr>.skipped", all_skipped);
  suites.put("<xmlattr>.time", fmt::format("{:.1f}", seconds));
  pt::ptree document;
  document.add_child("testsuites", suites);
  std::ostringstream out;
  pt::write_xml(out, document, pt::xml_writer_make_settings<std::string>(' ', 2));
  return out.str();
}

std::string to_markdown_summary(const RunReport& report) {
  // A cell must not break the table: no newlines, no bare pipes.
  const auto cell = [](std::string text) {
    for (char& c : text) {
      if (c == '\n') c = ' ';
    }
    std::string escaped;
    for (const char c : text) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
    return escaped;
  };
  std::string md = fmt::format("## parlab: {}/{} points\n\n", report.score(), report.max_score());
  md += "| exercise | part | verdict | points | |\n|---|---|---|---|---|\n";
  for (const ExerciseResult& ex : report.exercises) {
    for (const auto& [name, part] : ex.parts) {
      const std::string points = part.max_score > 0 ? fmt::format("{}/{}", part.score, part.max_score) : "";
      md += fmt::format("| {} {} | {} | {} | {} | {} |\n", ex.id, ex.title, name, to_string(part.verdict), points,
                        cell(part.summary.empty() ? part.reason : part.summary));
    }
  }
  md += fmt::format("\n{} cores, seed {}, tree `{}`\n", report.machine.cores, report.seed, report.tree);
  return md;
}

}  // namespace parlab::grader
