// Grader: reading what a GoogleTest binary prints about its tests: the list of tests
// (--gtest_list_tests) and the JSON report (--gtest_output=json).
//
// Both are pure functions of the text, so the grader's tests and its fuzzers (grader/fuzz) can
// feed them anything a broken or hostile test binary might write.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parlab::grader {

struct TestOutcome {
  std::string name;  // Suite.Case
  bool passed = false;
  std::string message;  // the failure message or what ended the process
  bool hung = false;    // stopped at its timeout (a deadlock, an endless loop, an exit that never came)
};

// The tests of a `--gtest_list_tests` listing ("Suite." lines, each followed by indented
// "  Case" lines, either perhaps with a "  # GetParam() = ..." comment), as "Suite.Case", in
// order. DISABLED_ suites and cases are left out: they are listed but never run. Never throws
// (but std::bad_alloc).
std::vector<std::string> parse_test_list(std::string_view listing);

// The tests a GoogleTest JSON report says were run, in order, each passed when it has no
// failures, with its failure messages joined. std::nullopt when the text is not such a report.
// Never throws (but std::bad_alloc).
std::optional<std::vector<TestOutcome>> parse_gtest_report(std::string_view report);

}  // namespace parlab::grader
