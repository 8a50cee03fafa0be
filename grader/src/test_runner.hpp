// Grader: running a GoogleTest binary so that one bad test fails alone.
//
// Every test runs in a process of its own, writing GoogleTest's JSON report, so a crash or a
// deadlock in one test costs that test only, and its output excerpt says what happened.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "gtest_output.hpp"
#include "report.hpp"
#include "supervisor.hpp"

namespace parlab::grader {

struct TestRunResult {
  std::vector<TestOutcome> tests;
  bool ran = false;              // false: the binary could not be listed or started
  std::string problem;           // why not, when !ran
  std::string sanitizer_report;  // the first ThreadSanitizer report seen, if any
  double cpu_seconds = 0;        // of all the runs together
  int passed() const;
};

struct TestRunSpec {
  std::filesystem::path binary;
  std::filesystem::path scratch;  // a fresh folder for this binary's runs
  std::map<std::string, std::string> env;
  std::chrono::milliseconds per_test_timeout{30'000};
  std::uint64_t memory_bytes = 2ull << 30;
  bool sanitized = false;  // a TSan build: memory by RSS, longer timeouts
};

TestRunResult run_tests(const TestRunSpec& spec);

// The quiet run's outcomes, with every test that failed in `noisy` (the same binary run again
// under PARLAB_SCHEDULE_NOISE=`seed`) failed too, its message saying so and how to repeat it.
// A noisy run that did not run at all changes nothing: the quiet verdict stands.
TestRunResult with_noise_failures(TestRunResult quiet, const TestRunResult& noisy, std::uint64_t seed);

// A tests part: points in proportion to the tests passed, each failure named with its message.
PartResult score_tests(const TestRunResult& run, int points);

// The first "WARNING: ThreadSanitizer" block of `text`, up to its SUMMARY line; empty if none.
std::string extract_sanitizer_report(const std::string& text);

// The last `lines` lines of `text`, for excerpts.
std::string tail_lines(const std::string& text, std::size_t lines);

}  // namespace parlab::grader
