// Test helper: writes the reports of a made-up run into the folder it is given (results.json,
// junit.xml, summary.md, and the grader's own report.json beside them), for
// check_report_formats.py to load with the parsers other tools use. The run holds every verdict,
// and text that XML, JSON and Markdown must escape.
#include <fmt/format.h>

#include <filesystem>

#include "report_formats.hpp"
#include "whole_file.hpp"

using namespace parlab::grader;

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: sample_reports OUT_DIR\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out);

  ExerciseResult ex{"1.1", "download_sites", "io", {}};
  PartResult build{Verdict::pass, ""};
  build.summary = "compiled";
  ex.parts.emplace_back("build", build);
  PartResult tests{Verdict::fail, "Results.KeepOrder failed (see hint 2: make hint EX=1.1)"};
  tests.summary = "8/9 tests";
  tests.excerpt = "Results.KeepOrder:\nexpected results[3].url == <b>\"x\" & 'y'</b> | got \"z\"";
  tests.score = 2;
  tests.max_score = 3;
  ex.parts.emplace_back("tests", tests);
  PartResult hidden{Verdict::fail, "Hidden.ManyWorkers failed"};
  hidden.summary = "4/5 tests";
  hidden.excerpt = "Hidden.ManyWorkers:\n37 sites with 40 workers: 36 results";
  hidden.score = 2;
  hidden.max_score = 3;
  ex.parts.emplace_back("hidden", hidden);
  PartResult races = PartResult::skipped("--no-sanitize");
  ex.parts.emplace_back("races", races);
  PartResult differential = PartResult::error("the baseline failed: exit 1");
  ex.parts.emplace_back("differential", differential);
  PartResult speedup{Verdict::inconclusive, "the machine was too noisy to decide after 15 rounds"};
  speedup.summary = "1.41x (need 1.45x, 95% CI 1.20-1.70)";
  speedup.explanation = "calibration: 2 threads ran a parallel kernel 1.98x faster than 1 (99%)\nbar: ...";
  speedup.max_score = 2;
  ex.parts.emplace_back("speedup", speedup);

  RunReport report;
  report.machine.cores = 2;
  report.tree = "exercises";
  report.seed = 11;
  report.exercises.push_back(ex);

  write_atomically((out / "results.json").string(), to_gradescope(report, 12.5).dump(2));
  write_atomically((out / "junit.xml").string(), to_junit(report, 12.5));
  write_atomically((out / "summary.md").string(), to_markdown_summary(report));
  write_atomically((out / "report.json").string(), to_json(report).dump(2));
  return 0;
}
