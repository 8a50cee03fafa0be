// Grader: GoogleTest's test list and JSON report (see gtest_output.hpp).
#include "gtest_output.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

namespace parlab::grader {

std::vector<std::string> parse_test_list(std::string_view listing) {
  std::vector<std::string> names;
  std::istringstream lines{std::string(listing)};
  std::string suite;
  for (std::string line; std::getline(lines, line);) {
    const auto comment = line.find("  #");
    if (comment != std::string::npos) line.resize(comment);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.empty()) continue;  // blank, or a comment alone: nothing to name
    if (line.front() != ' ') {
      suite = line;
      continue;
    }
    const std::string name = line.substr(line.find_first_not_of(' '));
    // A DISABLED_ test is listed but never runs, even when named by a filter: not a test to count.
    if (suite.starts_with("DISABLED_") || name.starts_with("DISABLED_")) continue;
    names.push_back(suite + name);
  }
  return names;
}

std::optional<std::vector<TestOutcome>> parse_gtest_report(std::string_view report) {
  std::vector<TestOutcome> out;
  try {
    const auto doc = nlohmann::json::parse(report);
    for (const auto& suite : doc.at("testsuites")) {
      for (const auto& test : suite.at("testsuite")) {
        if (test.value("status", "RUN") != "RUN") continue;  // disabled tests are not graded
        TestOutcome outcome;
        outcome.name = suite.at("name").get<std::string>() + "." + test.at("name").get<std::string>();
        outcome.passed = !test.contains("failures") || test.at("failures").empty();
        for (const auto& failure : test.value("failures", nlohmann::json::array())) {
          outcome.message += failure.value("failure", "") + "\n";
        }
        out.push_back(std::move(outcome));
      }
    }
    return out;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace parlab::grader
