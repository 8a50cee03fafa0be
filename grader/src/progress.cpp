// Grader: a learner's progress (see progress.hpp).
#include "progress.hpp"

#include <fmt/chrono.h>
#include <fmt/color.h>
#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "digest.hpp"
#include "whole_file.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::array kStageNames = {"build fails", "tests failing", "tests pass", "races", "slow", "done"};

std::optional<Stage> stage_named(const std::string& name) {
  for (std::size_t i = 0; i < kStageNames.size(); ++i) {
    if (name == kStageNames[i]) return static_cast<Stage>(i);
  }
  return std::nullopt;
}

std::string now_utc() { return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))); }

bool failed(const PartResult* part) {
  return part != nullptr && (part->verdict == Verdict::fail || part->verdict == Verdict::error);
}

// The part's own words, shortest first: the table's summary, else the reason.
std::string words(const PartResult& part) { return part.summary.empty() ? part.reason : part.summary; }

// "exercises/l01_threads_and_processes" -> "threads and processes"
std::string lecture_topic(const std::string& lecture_dir) {
  std::string topic = lecture_dir.substr(lecture_dir.find('_') + 1);
  std::replace(topic.begin(), topic.end(), '_', ' ');
  return topic;
}

// What to type next for an exercise in this state.
std::string next_step(const Exercise& ex, const ExerciseRecord* record) {
  const std::string& id = ex.id;
  if (record == nullptr) return fmt::format("make check EX={}   (or make watch EX={} while you edit)", id, id);
  switch (record->stage) {
    case Stage::build_fails:
    case Stage::tests_failing:
      return fmt::format("make watch EX={}   (reruns the tests on every save; make hint EX={} when stuck)", id, id);
    case Stage::tests_pass:
      return fmt::format("make grade EX={}   (hidden tests, races and the speedup)", id);
    case Stage::races:
      return fmt::format("make grade EX={}   after fixing the race it names (make hint EX={})", id, id);
    case Stage::slow:
      return fmt::format("make trace EX={}   (a picture of what your threads did; make hint EX={})", id, id);
    case Stage::done:
      return "nothing: done";
  }
  return "";
}

}  // namespace

std::string to_string(Stage stage) { return kStageNames.at(static_cast<std::size_t>(stage)); }

fs::path state_file(const fs::path& build_root) {
  const char* dir = std::getenv("PARLAB_STATE_DIR");
  return (dir != nullptr && *dir != '\0' ? fs::path(dir) : build_root) / "parlab-state.json";
}

LearnerState load_state(const fs::path& file) {
  LearnerState state;
  std::ifstream in(file);
  if (!in) return state;
  const json doc = json::parse(in, nullptr, false);
  if (!doc.is_object()) {
    fmt::print(stderr, "grader: {} is not valid JSON; starting progress afresh\n", file.string());
    return state;
  }
  try {
    // Named, not temporaries: items() refers to its object, which must outlive the loop.
    const json exercises = doc.value("exercises", json::object());
    const json hints_shown = doc.value("hints_shown", json::object());
    for (const auto& [id, entry] : exercises.items()) {
      const auto stage = stage_named(entry.value("stage", ""));
      if (!stage) continue;  // written by a newer grader, or edited by hand: forget that one
      state.exercises[id] = ExerciseRecord{*stage,
                                           entry.value("score", 0),
                                           entry.value("max_score", 0),
                                           entry.value("source", ""),
                                           entry.value("at", ""),
                                           entry.value("files_digest", ""),
                                           entry.value("note", "")};
    }
    for (const auto& [id, shown] : hints_shown.items()) {
      if (shown.is_number_integer()) state.hints_shown[id] = shown.get<int>();
    }
  } catch (const json::exception& e) {
    fmt::print(stderr, "grader: {} has an unexpected shape ({}); starting progress afresh\n", file.string(), e.what());
    return {};
  }
  return state;
}

void save_state(const LearnerState& state, const fs::path& file) {
  json exercises = json::object();
  for (const auto& [id, r] : state.exercises) {
    exercises[id] = {{"stage", to_string(r.stage)},
                     {"score", r.score},
                     {"max_score", r.max_score},
                     {"source", r.source},
                     {"at", r.at},
                     {"files_digest", r.files_digest},
                     {"note", r.note}};
  }
  const json doc = {{"exercises", exercises}, {"hints_shown", state.hints_shown}};
  fs::create_directories(file.parent_path());
  write_atomically(file.string(), doc.dump(2) + "\n");
}

std::string student_files_digest(const Exercise& exercise, const fs::path& exercise_dir) {
  Sha1 sha;
  for (const std::string& name : exercise.student_files) {
    std::ifstream in(exercise_dir / name, std::ios::binary);
    const std::string content{std::istreambuf_iterator<char>(in), {}};
    sha.update(name).update(in ? "\n+\n" : "\n-\n").update(content);
  }
  return sha.hex();
}

ExerciseRecord record_of_grade(const ExerciseResult& result) {
  ExerciseRecord record;
  record.source = "grade";
  record.at = now_utc();
  record.score = result.score();
  record.max_score = result.max_score();
  const PartResult* build = result.part("build");
  const PartResult* speedup = result.part("speedup");
  if (failed(build)) {
    record.stage = Stage::build_fails;
    record.note = build->reason;
  } else if (const auto* wrong = failed(result.part("tests"))          ? result.part("tests")
                                 : failed(result.part("hidden"))       ? result.part("hidden")
                                 : failed(result.part("differential")) ? result.part("differential")
                                                                       : nullptr) {
    record.stage = Stage::tests_failing;
    record.note = wrong == result.part("differential") ? wrong->reason : words(*wrong);
  } else if (result.part("races") != nullptr && result.part("races")->verdict == Verdict::fail) {
    record.stage = Stage::races;
    record.note = "ThreadSanitizer reported a data race";
  } else if (speedup != nullptr && (speedup->verdict == Verdict::fail || speedup->verdict == Verdict::inconclusive)) {
    record.stage = Stage::slow;
    record.note =
        speedup->verdict == Verdict::inconclusive ? "timing inconclusive: " + speedup->reason : words(*speedup);
  } else if (speedup == nullptr || speedup->verdict != Verdict::pass) {
    record.stage = Stage::tests_pass;
    record.note = "speedup not measured (" + (speedup ? speedup->reason : std::string("no timing")) + ")";
  } else {
    record.stage = Stage::done;
    record.note = words(*speedup);
  }
  return record;
}

ExerciseRecord record_of_check(const PartResult& build, const PartResult& tests) {
  ExerciseRecord record;
  record.source = "check";
  record.at = now_utc();
  if (build.verdict != Verdict::pass) {
    record.stage = Stage::build_fails;
    record.note = build.reason;
  } else {
    record.stage = tests.verdict == Verdict::pass ? Stage::tests_pass : Stage::tests_failing;
    record.note = words(tests);
  }
  return record;
}

void remember(LearnerState& state, const std::string& id, ExerciseRecord record) {
  const auto known = state.exercises.find(id);
  const bool graded_same_files = known != state.exercises.end() && known->second.source == "grade" &&
                                 known->second.files_digest == record.files_digest;
  if (record.source == "check" && record.stage == Stage::tests_pass && graded_same_files) return;
  state.exercises[id] = std::move(record);
}

void record_progress(const fs::path& build_root, const Exercise& exercise, const fs::path& exercise_dir,
                     ExerciseRecord record) {
  const fs::path file = state_file(build_root);
  LearnerState state = load_state(file);
  record.files_digest = student_files_digest(exercise, exercise_dir);
  remember(state, exercise.id, std::move(record));
  save_state(state, file);
}

void print_progress(std::FILE* out, const std::vector<Exercise>& exercises, const LearnerState& state,
                    const fs::path& exercises_root, bool colour) {
  auto paint = [colour](const std::string& text, fmt::text_style style) {
    return colour ? fmt::format(style, "{}", text) : text;
  };
  auto stage_style = [](const ExerciseRecord* record) {
    if (record == nullptr) return fmt::fg(fmt::terminal_color::bright_black);
    switch (record->stage) {
      case Stage::done:
        return fmt::fg(fmt::terminal_color::green);
      case Stage::tests_pass:
        return fmt::fg(fmt::terminal_color::cyan);
      case Stage::races:
      case Stage::slow:
        return fmt::fg(fmt::terminal_color::yellow);
      default:
        return fmt::fg(fmt::terminal_color::red);
    }
  };

  int score = 0, max_score = 0, done = 0;
  const Exercise* next = nullptr;
  std::string lecture;
  for (const Exercise& ex : exercises) {
    if (ex.lecture_dir() != lecture) {
      lecture = ex.lecture_dir();
      fmt::print(out, "\n{}\n",
                 paint(fmt::format("Lecture {}: {}", ex.lecture, lecture_topic(lecture)), fmt::emphasis::bold));
    }
    const auto found = state.exercises.find(ex.id);
    const ExerciseRecord* record = found == state.exercises.end() ? nullptr : &found->second;
    max_score += ex.points.total();
    if (record != nullptr) score += record->score;
    if (record != nullptr && record->stage == Stage::done) ++done;
    if (next == nullptr && (record == nullptr || record->stage != Stage::done)) next = &ex;

    const std::string stage = record == nullptr ? "not started" : to_string(record->stage);
    const std::string points = record != nullptr && record->source == "grade"
                                   ? fmt::format("{}/{}", record->score, record->max_score)
                                   : fmt::format("-/{}", ex.points.total());
    std::string note = record == nullptr ? "" : record->note;
    if (note.size() > 70) note = note.substr(0, 67) + "...";
    if (record != nullptr && student_files_digest(ex, exercises_root / ex.dir) != record->files_digest) {
      note += " (edited since)";
    }
    fmt::print(out, "  {:<5} {:<20} {} {:>6}  {}\n", ex.id, ex.title,
               paint(fmt::format("{:<13}", stage), stage_style(record)), points, note);
  }
  fmt::print(out, "\n{} of {} exercises done, {}/{} points from the last grades.\n", done, exercises.size(), score,
             max_score);
  if (next == nullptr) {
    fmt::print(out, "Every exercise is done. `make bench` shows how the reference solutions compare.\n");
    return;
  }
  const auto found = state.exercises.find(next->id);
  fmt::print(out, "Next: {} {}, exercises/{}/README.md\n      {}\n", next->id, next->title, next->dir.string(),
             next_step(*next, found == state.exercises.end() ? nullptr : &found->second));
}

}  // namespace parlab::grader
