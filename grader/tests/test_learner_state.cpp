// Test: the self-study parts that need no child process: hints in manifests (the kit's own
// among them), which hint a failure points at, the progress file and the states it records.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "hints.hpp"
#include "manifest.hpp"
#include "progress.hpp"
#include "report.hpp"

namespace fs = std::filesystem;
using namespace parlab::grader;

namespace {

Exercise with_hints(std::vector<Hint> hints) {
  Exercise ex;
  ex.id = "1.1";
  ex.title = "download_sites";
  ex.lecture = 1;
  ex.kind = "io";
  ex.hints = std::move(hints);
  return ex;
}

PartResult part(Verdict verdict, nlohmann::json details = nlohmann::json::object()) {
  PartResult p{verdict, ""};
  p.details = std::move(details);
  return p;
}

// A graded exercise whose parts all passed, but for the ones given.
ExerciseResult graded(std::vector<std::pair<std::string, PartResult>> changed, const std::string& kind = "io") {
  ExerciseResult result{"1.1", "download_sites", kind, {}};
  for (const char* name : {"build", "tests", "hidden", "races", "differential", "speedup"}) {
    PartResult p = part(Verdict::pass);
    if (std::string(name) == "speedup") p.details = {{"measured", 8.0}, {"peak_in_flight", 8}, {"cores_busy", 0.1}};
    for (const auto& [which, replacement] : changed) {
      if (which == name) p = replacement;
    }
    result.parts.emplace_back(name, p);
  }
  return result;
}

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("parlab-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST(Hints, EveryKitExerciseHasGraduatedHintsForItsFailures) {
  const auto all = load_all_manifests(PARLAB_KIT_EXERCISES);
  ASSERT_GE(all.size(), 17u);
  for (const Exercise& ex : all) {
    EXPECT_GE(ex.hints.size(), 3u) << ex.id;
    EXPECT_TRUE(hint_for(ex, "wrong").has_value()) << ex.id << ": no hint for a wrong answer";
    EXPECT_TRUE(hint_for(ex, "slow").has_value()) << ex.id << ": no hint for a slow run";
    if (ex.points.races > 0) {
      EXPECT_TRUE(hint_for(ex, "race").has_value()) << ex.id << ": no hint for a race";
    }
    for (const Hint& hint : ex.hints) {
      EXPECT_EQ(hint.text.find('\n'), std::string::npos) << ex.id;
      EXPECT_LE(hint.text.size(), 400u) << ex.id;
    }
  }
}

TEST(Hints, ManifestRejectsAnUnknownSignal) {
  const fs::path root = temp_dir("hint-manifest");
  const fs::path file = root / "l01_x" / "e1_y" / "exercise.json";
  fs::create_directories(file.parent_path());
  std::ofstream(file) << R"({"id": "1.1", "title": "t", "lecture": 1, "kind": "cpu", "student_files": ["t.cpp"],
    "points": {"tests": 1, "hidden": 1, "races": 1, "speedup": 1},
    "timing": {"size": 4, "bar": {"model": "cpu", "efficiency": 0.5}},
    "hints": [{"text": "look", "when": ["sloow"]}]})";
  try {
    load_manifest(file, root);
    ADD_FAILURE() << "an unknown signal was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("sloow"), std::string::npos) << e.what();
  }
  fs::remove_all(root);
}

TEST(Hints, AFailureIsReadAsTheSignalItShows) {
  EXPECT_FALSE(failure_of(graded({})).has_value());
  EXPECT_FALSE(failure_of(graded({{"build", part(Verdict::fail)}})).has_value()) << "the compiler is the help";
  EXPECT_EQ(failure_of(graded({{"tests", part(Verdict::fail)}}))->signal, "wrong");
  const auto hung = part(Verdict::fail, {{"failed", {{{"name", "A.B"}, {"message", "timed out after 30 s"}}}}});
  EXPECT_EQ(failure_of(graded({{"hidden", hung}}))->signal, "hang");
  EXPECT_EQ(failure_of(graded({{"differential", part(Verdict::fail)}}))->signal, "wrong");
  EXPECT_EQ(failure_of(graded({{"races", part(Verdict::fail)}}))->signal, "race");
  const auto one_request = part(Verdict::fail, {{"measured", 1.0}, {"peak_in_flight", 1}});
  EXPECT_EQ(failure_of(graded({{"speedup", one_request}}))->signal, "serial");
  const auto one_core = part(Verdict::fail, {{"measured", 1.0}, {"cores_busy", 1.01}});
  EXPECT_EQ(failure_of(graded({{"speedup", one_core}}, "cpu"))->signal, "serial");
  const auto parallel_but_slow = part(Verdict::fail, {{"measured", 1.3}, {"cores_busy", 1.9}});
  EXPECT_EQ(failure_of(graded({{"speedup", parallel_but_slow}}, "cpu"))->signal, "slow");
  // A speedup part that failed before timing (a wrong answer) is not a slow run.
  EXPECT_FALSE(failure_of(graded({{"speedup", part(Verdict::fail)}})).has_value());
}

TEST(Hints, APartPointsAtTheFirstHintTaggedForItsFailure) {
  const Exercise ex = with_hints({{"gentle", {"slow"}}, {"threads", {"race"}}, {"order", {"wrong", "race"}}});
  EXPECT_EQ(hint_for(ex, "race"), 2u);
  EXPECT_EQ(hint_for(ex, "serial"), 1u) << "serial and slow stand in for each other";
  EXPECT_FALSE(hint_for(ex, "hang").has_value());

  ExerciseResult result = graded({{"races", part(Verdict::fail)}});
  point_at_help(result, ex);
  EXPECT_EQ(result.part("races")->details["hint"], 2);
  EXPECT_NE(result.part("races")->reason.find("see hint 2: make hint EX=1.1"), std::string::npos);
  EXPECT_TRUE(result.part("tests")->reason.empty()) << "only the failed part is annotated";

  ExerciseResult slow = graded({{"speedup", part(Verdict::fail, {{"measured", 1.0}, {"peak_in_flight", 1}})}});
  point_at_help(slow, ex);
  EXPECT_NE(slow.part("speedup")->reason.find("make trace EX=1.1"), std::string::npos) << slow.part("speedup")->reason;
}

TEST(Hints, WrapsAtTheWidthAndIndents) {
  const std::string wrapped = wrap("one two three four five six", 12, 2);
  EXPECT_EQ(wrapped, "one two\n  three four\n  five six");
}

TEST(Progress, AGradeRecordsTheStateItsWorstPartShows) {
  EXPECT_EQ(record_of_grade(graded({})).stage, Stage::done);
  EXPECT_EQ(record_of_grade(graded({{"build", part(Verdict::fail)}})).stage, Stage::build_fails);
  EXPECT_EQ(record_of_grade(graded({{"hidden", part(Verdict::fail)}})).stage, Stage::tests_failing);
  EXPECT_EQ(record_of_grade(graded({{"races", part(Verdict::fail)}})).stage, Stage::races);
  EXPECT_EQ(record_of_grade(graded({{"speedup", part(Verdict::fail)}})).stage, Stage::slow);
  EXPECT_EQ(record_of_grade(graded({{"speedup", part(Verdict::inconclusive)}})).stage, Stage::slow);
  EXPECT_EQ(record_of_grade(graded({{"speedup", PartResult::skipped("--no-timing")}})).stage, Stage::tests_pass);
}

TEST(Progress, SavesLoadsAndKeepsAGradeOverACheckOfTheSameFiles) {
  const fs::path dir = temp_dir("progress");
  const fs::path file = dir / "parlab-state.json";
  LearnerState state;
  ExerciseRecord grade = record_of_grade(graded({{"speedup", part(Verdict::fail)}}));
  grade.files_digest = "abc";
  remember(state, "1.1", grade);
  ExerciseRecord check = record_of_check(part(Verdict::pass), part(Verdict::pass));
  check.files_digest = "abc";
  remember(state, "1.1", check);
  EXPECT_EQ(state.exercises["1.1"].stage, Stage::slow) << "the grade of the same files knows more";
  check.files_digest = "edited";
  remember(state, "1.1", check);
  EXPECT_EQ(state.exercises["1.1"].stage, Stage::tests_pass) << "new code: the check is the news";
  state.hints_shown["1.1"] = 2;

  save_state(state, file);
  const LearnerState loaded = load_state(file);
  EXPECT_EQ(loaded.exercises.at("1.1").stage, Stage::tests_pass);
  EXPECT_EQ(loaded.exercises.at("1.1").files_digest, "edited");
  EXPECT_EQ(loaded.hints_shown.at("1.1"), 2);

  for (const char* broken :
       {"not json", "[1, 2]", R"({"exercises": 3})", R"({"exercises": {"1.1": {"stage": "?"}}})"}) {
    std::ofstream(file, std::ios::trunc) << broken;
    EXPECT_TRUE(load_state(file).exercises.empty()) << broken;  // a fresh start, never a crash
  }
  fs::remove_all(dir);
}

TEST(Progress, PrintsEveryExerciseItsStateAndWhatComesNext) {
  Exercise first = with_hints({});
  first.dir = "l01_threads_and_processes/e1_download_sites";
  first.student_files = {"download_sites.cpp"};
  first.points = {3, 3, 2, 2};
  Exercise second = first;
  second.id = "1.2";
  second.title = "sum_of_squares";
  second.dir = "l01_threads_and_processes/e2_sum_of_squares";
  const fs::path root = temp_dir("progress-print");
  LearnerState state;
  ExerciseRecord done = record_of_grade(graded({}));
  done.score = done.max_score = 10;
  state.exercises["1.1"] = done;

  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&text, &size);
  print_progress(out, {first, second}, state, root, false);
  std::fclose(out);
  const std::string printed(text, size);
  std::free(text);
  EXPECT_NE(printed.find("Lecture 1: threads and processes"), std::string::npos) << printed;
  EXPECT_NE(printed.find("done"), std::string::npos) << printed;
  EXPECT_NE(printed.find("(edited since)"), std::string::npos) << "the record's digest is not the files'";
  EXPECT_NE(printed.find("1.2   sum_of_squares       not started"), std::string::npos) << printed;
  EXPECT_NE(printed.find("1 of 2 exercises done, 10/20 points"), std::string::npos) << printed;
  EXPECT_NE(printed.find("Next: 1.2 sum_of_squares"), std::string::npos) << printed;
  EXPECT_NE(printed.find("make check EX=1.2"), std::string::npos) << printed;
  fs::remove_all(root);
}
