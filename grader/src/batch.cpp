// Grader: grading a class (see batch.hpp). The flow, top to bottom:
//
//   1. list the submissions in DIR; those with a report in OUT/reports are done already
//   2. correctness: `grader run --no-timing` on each, --jobs of them side by side
//   3. timing: `grader run --timing-only` on the exercises each got right, one at a time (in the
//      first worker's staged build, compiled already, and apart from the one `grader run` uses)
//   4. per student, merge both into OUT/reports/<student>.json, then rewrite the gradebook
#include "batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "manifest.hpp"
#include "report_formats.hpp"
#include "submission.hpp"
#include "supervisor.hpp"
#include "whole_file.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Student {
  std::string name;
  fs::path submission;
  fs::path work;  // OUT/work/<name>: the two passes' reports and the graders' output
};

// The parts that earn points, in grading order, as the gradebook's columns.
constexpr std::array kScoredParts = {"tests", "hidden", "races", "speedup"};
// A whole grading run of one student, compiling included; a hang inside is cut far sooner,
// by the run's own per-test timeouts.
constexpr std::chrono::minutes kPerStudent{60};

std::string student_name(const fs::path& entry) {
  std::string name = entry.filename().string();
  for (const std::string suffix : {".tar.gz", ".tgz"}) {
    if (name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

std::vector<Student> list_students(const fs::path& dir, const fs::path& out) {
  std::vector<Student> students;
  std::map<std::string, fs::path> seen;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = student_name(entry.path());
    if (name.starts_with(".") || !(entry.is_directory() || is_submission_archive(entry.path()))) continue;
    if (const auto other = seen.find(name); other != seen.end()) {
      throw std::runtime_error(
          fmt::format("two submissions for {}: {} and {}", name, other->second.string(), entry.path().string()));
    }
    seen[name] = entry.path();
    students.push_back({name, fs::absolute(entry.path()), out / "work" / name});
  }
  std::ranges::sort(students, {}, &Student::name);
  return students;
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return json();
  return json::parse(in, nullptr, false);
}

bool has_report(const json& report) { return report.is_object() && report.contains("exercises"); }

// The last lines of what a grader printed, for a student it could not grade.
std::string tail_of(const ChildResult& run) {
  std::string text = run.stderr_text();
  if (text.size() > 600) text = "..." + text.substr(text.size() - 600);
  return text;
}

class Batch {
 public:
  Batch(const BatchOptions& options, std::uint64_t seed)
      : options_(options), seed_(seed), all_(load_all_manifests(options.kit.source_root / "exercises")) {
    for (const std::string& id : options.ids) selected_.push_back(find_exercise(all_, id));
    if (options.ids.empty()) selected_ = all_;
  }

  // One `grader run` of `student`, with the batch's common arguments before `extra`.
  ChildResult grade(const Student& student, const std::vector<std::string>& ids, std::vector<std::string> extra,
                    const std::string& pass, bool side_by_side) const {
    ChildSpec spec;
    spec.program = fs::read_symlink("/proc/self/exe");
    spec.args = {"--kit", options_.kit.source_root.string(), "--build-root", options_.kit.build_root.string(), "run"};
    spec.args.insert(spec.args.end(), ids.begin(), ids.end());
    spec.args.insert(spec.args.end(), {"--tree", student.submission.string(), "--seed", std::to_string(seed_)});
    if (options_.timeout_seconds)
      spec.args.insert(spec.args.end(), {"--timeout", std::to_string(*options_.timeout_seconds)});
    spec.args.insert(spec.args.end(), extra.begin(), extra.end());
    spec.work_dir = student.work / pass;
    spec.timeout = kPerStudent;
    // A grader sets its children's limits itself; its own tree is removed whole on Ctrl-C.
    spec.memory_bytes = 0;
    spec.output_bytes = 0;
    spec.max_tasks = kTasksOfAGrader;
    spec.side_by_side = side_by_side;
    return run_child(spec);
  }

  // Pass 1 for one student: every part but the timing. Empty when its report was written.
  std::string grade_correctness(const Student& student, unsigned slot) const {
    const fs::path report = student.work / "correctness.json";
    if (has_report(read_json(report))) return "";  // an interrupted batch got this far
    std::vector<std::string> extra = {"--no-timing", "--json", report.string(), "--stage-slot", std::to_string(slot)};
    if (!options_.sanitize) extra.push_back("--no-sanitize");
    const ChildResult run = grade(student, options_.ids, extra, "correctness", true);
    if (has_report(read_json(report))) return "";
    return run.end == ChildResult::End::timed_out
               ? fmt::format("grading took longer than {} min", kPerStudent.count())
               : fmt::format("the grader could not grade it ({}): {}", run.describe(), tail_of(run));
  }

  // The exercises whose answers were right: the only ones whose timing can earn points.
  static std::vector<std::string> worth_timing(const json& correctness) {
    std::vector<std::string> ids;
    for (const json& ex : correctness["exercises"]) {
      const json& parts = ex["parts"];
      const auto verdict = [&parts](const char* part) {
        return parts.value(part, json::object()).value("verdict", "");
      };
      if (verdict("tests") == "pass" && verdict("hidden") != "fail" && verdict("differential") == "pass") {
        ids.push_back(ex.value("id", ""));
      }
    }
    return ids;
  }

  // Pass 2 and the merge: the student's report, with the speedup parts from the timing run.
  std::string finish(const Student& student) const {
    json report = read_json(student.work / "correctness.json");
    const std::vector<std::string> timed_ids = options_.timing ? worth_timing(report) : std::vector<std::string>{};
    json timing = json::object();  // none when nothing was worth timing
    if (!timed_ids.empty()) {
      const fs::path timing_path = student.work / "timing.json";
      const ChildResult run =
          grade(student, timed_ids,
                {"--timing-only", "--no-sanitize", "--no-noise", "--json", timing_path.string(), "--stage-slot", "1"},
                "timing", false);
      timing = read_json(timing_path);
      if (!has_report(timing)) {
        return fmt::format("the timing run failed ({}): {}", run.describe(), tail_of(run));
      }
    }
    int total = 0, max_total = 0;
    for (json& ex : report["exercises"]) {
      const std::string id = ex.value("id", "");
      json& speedup = ex["parts"]["speedup"];
      const json timed_exercises = timing.value("exercises", json::array());
      const auto timed = std::find_if(timed_exercises.begin(), timed_exercises.end(),
                                      [&id](const json& t) { return t.value("id", "") == id; });
      if (timed != timed_exercises.end()) {
        speedup = (*timed)["parts"]["speedup"];
      } else if (options_.timing) {
        speedup = {{"verdict", "fail"},
                   {"reason", "a wrong answer earns no speedup points: fix the failing tests first"},
                   {"score", 0},
                   {"max_score", find_exercise(all_, id).points.speedup}};
      }
      int score = 0, max_score = 0;
      for (const auto& [name, part] : ex["parts"].items()) {
        score += part.value("score", 0);
        max_score += part.value("max_score", 0);
      }
      ex["score"] = score;
      ex["max_score"] = max_score;
      total += score;
      max_total += max_score;
    }
    report["score"] = total;
    report["max_score"] = max_total;
    report["student"] = student.name;
    report["submission"] = student.submission.string();
    write_atomically((options_.out / "reports" / (student.name + ".json")).string(), report.dump(2) + "\n");
    return "";
  }

  // The gradebook from every report there is: a row per student, a column per scored part.
  void write_gradebook(const std::vector<Student>& students, const std::map<std::string, std::string>& problems) const {
    const auto field = [](const std::string& text) {  // RFC 4180: quote what holds a comma, quote or newline
      if (text.find_first_of(",\"\n") == std::string::npos) return text;
      std::string quoted = "\"";
      for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      return quoted + "\"";
    };
    std::vector<std::pair<std::string, std::string>> columns;  // exercise id, part
    for (const Exercise& ex : selected_) {
      const std::map<std::string, int> points = {{"tests", ex.points.tests},
                                                 {"hidden", ex.points.hidden},
                                                 {"races", ex.points.races},
                                                 {"speedup", ex.points.speedup}};
      for (const char* part : kScoredParts) {
        if (points.at(part) > 0) columns.emplace_back(ex.id, part);
      }
    }
    std::string csv = "student";
    for (const auto& [id, part] : columns) csv += "," + field(id + " " + part);
    csv += ",total,max,status\n";
    for (const Student& student : students) {
      const json report = read_json(options_.out / "reports" / (student.name + ".json"));
      csv += field(student.name);
      if (!has_report(report)) {
        csv += std::string(columns.size() + 2, ',');
        const auto problem = problems.find(student.name);
        csv += "," + field(problem != problems.end() ? "error: " + problem->second : "not graded yet") + "\n";
        continue;
      }
      for (const auto& [id, part] : columns) {
        std::string cell;
        for (const json& ex : report["exercises"]) {
          if (ex.value("id", "") == id && ex["parts"].contains(part))
            cell = std::to_string(ex["parts"][part].value("score", 0));
        }
        csv += "," + cell;
      }
      csv += fmt::format(",{},{},graded\n", report.value("score", 0), report.value("max_score", 0));
    }
    write_atomically((options_.out / "gradebook.csv").string(), csv);
  }

  int run() {
    const std::vector<Student> students = list_students(options_.dir, options_.out);
    fs::create_directories(options_.out / "reports");
    std::vector<const Student*> pending;
    for (const Student& s : students) {
      if (has_report(read_json(options_.out / "reports" / (s.name + ".json")))) {
        fmt::print("{}: already graded (its report is in {})\n", s.name, (options_.out / "reports").string());
      } else {
        pending.push_back(&s);
      }
    }
    fmt::print("grading {} of {} submissions in {} (seed {}, {} side by side for correctness)\n", pending.size(),
               students.size(), options_.dir.string(), seed_, options_.jobs);
    std::fflush(stdout);

    // Pass 1, side by side: worker k stages its trees in staged build k (1, 2, ...).
    std::map<std::string, std::string> problems;
    std::mutex problems_mutex;
    std::atomic<std::size_t> next{0};
    {
      std::vector<std::jthread> workers;
      for (unsigned slot = 1; slot <= std::max(1u, options_.jobs); ++slot) {
        workers.emplace_back([&, slot] {
          for (std::size_t i = next++; i < pending.size(); i = next++) {
            const std::string problem = grade_correctness(*pending[i], slot);
            const std::lock_guard lock(problems_mutex);
            if (!problem.empty()) problems[pending[i]->name] = problem;
            fmt::print("{}: correctness {}\n", pending[i]->name, problem.empty() ? "graded" : "NOT graded: " + problem);
            std::fflush(stdout);
          }
        });
      }
    }
    // Pass 2, alone, and each student's report as soon as it is whole.
    for (const Student* student : pending) {
      if (!problems.contains(student->name)) {
        if (std::string problem = finish(*student); !problem.empty()) problems[student->name] = problem;
      }
      write_gradebook(students, problems);
      const json report = read_json(options_.out / "reports" / (student->name + ".json"));
      if (has_report(report)) {
        fmt::print("{}: {}/{}\n", student->name, report.value("score", 0), report.value("max_score", 0));
      } else {
        fmt::print("{}: NOT graded: {}\n", student->name, problems[student->name]);
      }
      std::fflush(stdout);
    }
    write_gradebook(students, problems);
    fmt::print("gradebook: {}\n", (options_.out / "gradebook.csv").string());
    return problems.empty() ? 0 : 1;
  }

 private:
  const BatchOptions& options_;
  std::uint64_t seed_;
  std::vector<Exercise> all_, selected_;
};

}  // namespace

int run_batch(const BatchOptions& options) {
  if (!fs::is_directory(options.dir)) {
    fmt::print(stderr, "grader batch: {} is not a folder\n", options.dir.string());
    return 2;
  }
  BatchOptions resolved = options;
  if (resolved.out.empty())
    resolved.out = options.kit.build_root / "batch" / fs::weakly_canonical(options.dir).filename();
  resolved.out = fs::absolute(resolved.out);
  const std::uint64_t seed = options.seed.value_or(std::random_device{}());
  return Batch(resolved, seed).run();
}

}  // namespace parlab::grader
