// Grader: GoogleTest binaries under supervision (see test_runner.hpp).
#include "test_runner.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

// Under ThreadSanitizer code runs 5-15x slower; the deadline stretches to match.
constexpr int kSanitizerSlowdown = 5;

ChildSpec child_for(const TestRunSpec& spec, std::vector<std::string> args, const std::string& run_name,
                    std::chrono::milliseconds timeout) {
  ChildSpec child;
  child.program = spec.binary;
  child.args = std::move(args);
  child.work_dir = spec.scratch / run_name;
  child.env = spec.env;
  if (spec.sanitized) {
    // Keep going after the first report so every test still gets a verdict; exit 66 at the end.
    child.env["TSAN_OPTIONS"] = "halt_on_error=0 exitcode=66 second_deadlock_stack=1";
  }
  child.timeout = timeout * (spec.sanitized ? kSanitizerSlowdown : 1);
  child.memory_bytes = spec.memory_bytes;
  child.memory_by_rss = spec.sanitized;
  child.stacks_on_timeout = true;
  child.runs_submission = true;
  return child;
}

// Reads GoogleTest's JSON report into `out`; returns false when it is missing or unreadable.
bool parse_report(const fs::path& path, std::vector<TestOutcome>& out) {
  std::ifstream in(path);
  if (!in) return false;
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  std::optional<std::vector<TestOutcome>> parsed = parse_gtest_report(text);
  if (!parsed) return false;
  out.insert(out.end(), std::make_move_iterator(parsed->begin()), std::make_move_iterator(parsed->end()));
  return true;
}

std::string excerpt_of(const ChildResult& result) {
  std::string text = result.stdout_text(256 << 10) + result.stderr_text(256 << 10);
  return tail_lines(text, 15);
}

}  // namespace

int TestRunResult::passed() const {
  return static_cast<int>(std::count_if(tests.begin(), tests.end(), [](const auto& t) { return t.passed; }));
}

std::string tail_lines(const std::string& text, std::size_t lines) {
  std::size_t pos = text.size();
  while (pos > 0 && text[pos - 1] == '\n') --pos;
  std::size_t kept = 0;
  std::size_t start = pos;
  while (start > 0 && kept < lines) {
    start = text.rfind('\n', start - 1);
    if (start == std::string::npos) {
      start = 0;
      break;
    }
    ++kept;
    if (kept == lines) ++start;
  }
  return text.substr(start, pos - start) + "\n";
}

std::string extract_sanitizer_report(const std::string& text) {
  const auto begin = text.find("WARNING: ThreadSanitizer");
  if (begin == std::string::npos) return {};
  auto end = text.find("SUMMARY: ThreadSanitizer", begin);
  end = end == std::string::npos ? std::min(text.size(), begin + 4000) : text.find('\n', end);
  std::string report = text.substr(begin, end - begin);
  // A report is long; the first 40 lines name both accesses and the threads.
  std::istringstream lines(report);
  std::string kept;
  int count = 0;
  for (std::string line; std::getline(lines, line) && count < 40; ++count) kept += line + "\n";
  return kept;
}

TestRunResult run_tests(const TestRunSpec& spec) {
  TestRunResult result;
  const ChildResult listing = run_child(child_for(spec, {"--gtest_list_tests"}, "list", std::chrono::seconds(30)));
  result.cpu_seconds += listing.cpu_seconds;
  if (!listing.ok()) {
    result.problem = fmt::format("the test binary could not list its tests ({})", listing.describe());
    return result;
  }
  result.ran = true;

  // One process per test: a crash or a deadlock costs that test alone, and no test can leave
  // state behind for the next. Start-up is a few milliseconds, cheap next to any test.
  const std::vector<std::string> names = parse_test_list(listing.stdout_text());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string run_name = fmt::format("test{}", i);
    const ChildResult one = run_child(child_for(spec, {"--gtest_filter=" + names[i], "--gtest_output=json:report.json"},
                                                run_name, spec.per_test_timeout));
    result.cpu_seconds += one.cpu_seconds;
    const std::string output = one.stdout_text() + one.stderr_text();
    if (result.sanitizer_report.empty()) result.sanitizer_report = extract_sanitizer_report(output);

    // exit 0 passed, 1 a test failed, 66 ThreadSanitizer spoke: GoogleTest's report is complete.
    std::vector<TestOutcome> parsed;
    const bool clean_end = one.end == ChildResult::End::exited && (one.exit_code <= 1 || one.exit_code == 66);
    if (clean_end && parse_report(spec.scratch / run_name / "report.json", parsed) && parsed.size() == 1) {
      parsed.front().message = tail_lines(parsed.front().message, 12);
      result.tests.push_back(std::move(parsed.front()));
    } else {
      // GoogleTest writes its report before main returns: a report that says "passed" from a
      // run that never ended means the hang came after the test, at exit.
      const bool hung_at_exit = one.end == ChildResult::End::timed_out &&
                                parse_report(spec.scratch / run_name / "report.json", parsed) && parsed.size() == 1 &&
                                parsed.front().passed;
      const std::string why = hung_at_exit
                                  ? "the test passed, but the program never exited: a static object's destructor, or a "
                                    "thread still running at exit, that never ends"
                                  : explain(one);
      const std::string where = one.stacks.empty() ? "" : "where the threads were:\n" + one.stacks;
      result.tests.push_back({names[i], false, fmt::format("{}: {}\n{}{}", one.describe(), why, where, excerpt_of(one)),
                              one.end == ChildResult::End::timed_out});
    }
  }
  return result;
}

// Points in proportion to the tests passed, rounded down: 8 of 9 tests is not full marks.
TestRunResult with_noise_failures(TestRunResult quiet, const TestRunResult& noisy, std::uint64_t seed) {
  if (!noisy.ran) return quiet;
  for (const TestOutcome& loud : noisy.tests) {
    if (loud.passed) continue;
    for (TestOutcome& test : quiet.tests) {
      if (test.name != loud.name || !test.passed) continue;
      test.passed = false;
      test.message = fmt::format(
          "passed in a quiet run, failed under schedule noise: a race that depends on timing. To repeat it, "
          "run the test binary with PARLAB_SCHEDULE_NOISE={} and --gtest_filter={}\n{}",
          seed, test.name, loud.message);
    }
  }
  quiet.cpu_seconds += noisy.cpu_seconds;
  return quiet;
}

PartResult score_tests(const TestRunResult& run, int points) {
  PartResult part;
  part.max_score = points;
  if (!run.ran) {
    part.verdict = Verdict::fail;
    part.reason = run.problem;
    return part;
  }
  const int total = static_cast<int>(run.tests.size());
  const int passed = run.passed();
  part.details = {{"passed", passed}, {"total", total}};
  part.summary = fmt::format("{}/{} tests", passed, total);
  if (total == 0) {
    part.verdict = Verdict::error;
    part.reason = "the test binary has no tests";
    return part;
  }
  part.score = points * passed / total;
  part.verdict = passed == total ? Verdict::pass : Verdict::fail;
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& test : run.tests) {
    if (test.passed) continue;
    failed.push_back({{"name", test.name}, {"message", test.message}});
    if (part.excerpt.empty()) part.excerpt = test.name + ":\n" + test.message;
  }
  if (!failed.empty()) {
    part.details["failed"] = failed;
    part.reason = failed[0]["name"].get<std::string>() + " failed";
    if (failed.size() > 1) part.reason += fmt::format(" and {} more", failed.size() - 1);
  }
  return part;
}

}  // namespace parlab::grader
