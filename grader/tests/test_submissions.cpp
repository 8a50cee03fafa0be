// Test: the corpus of bad submissions (submissions/<case>/, each a tree with only the student
// files of exercise 1.1, and its expect.json). Each case is graded end to end; it must get the
// verdicts its expect.json documents, say what it documents, finish within its time bound, and
// leave behind no process, no temporary file, and no change to its tree.
//
// expect.json: "about" (one line), "needs" ("task_cap", "private_network", "root": skipped on a
// machine without), "args" (for `grader run`), "env" {variable: value, for the grader}, "tree"
// ("exercises" grades the kit's starter, another case's name that case's tree, instead of the
// case's own folder), "verdicts" {part: verdict}, "says" {part: [text in that part's JSON]},
// "says_with_gdb" (the same, when gdb is installed), "prints" [text in the grader's output],
// "containment" {field: text in the report's containment field}, "exit_code", "score",
// "within_seconds" (default 300).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "grade_tree.hpp"
#include "task_cap.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using parlab::grader::find_program;
using parlab::grader::testing::grade;
using parlab::grader::testing::Graded;
using parlab::grader::testing::processes_marked;
using parlab::grader::testing::read_text;
using parlab::grader::testing::scratch_of_this_test;

namespace {

const fs::path kCorpus = PARLAB_SUBMISSIONS;
const fs::path kExercises = PARLAB_EXERCISES;

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (fs::exists(entry.path() / "expect.json")) names.push_back(entry.path().filename().string());
  }
  std::ranges::sort(names);
  return names;
}

// Every file under `root` with its bytes: equal snapshots mean an unchanged tree.
std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files[fs::relative(entry.path(), root).string()] = read_text(entry.path());
  }
  return files;
}

class Submission : public ::testing::TestWithParam<std::string> {};

TEST_P(Submission, GetsItsDocumentedVerdictAndLeavesNothingBehind) {
  const std::string name = GetParam();
  const json expect = json::parse(read_text(kCorpus / name / "expect.json"));
  SCOPED_TRACE(name + ": " + expect.value("about", ""));
  if (expect.value("needs", "") == "task_cap" && !parlab::grader::task_cap_unavailable_reason().empty()) {
    GTEST_SKIP() << "no cap on tasks here (" << parlab::grader::task_cap_unavailable_reason()
                 << "): a fork bomb would reach the machine";
  }
  if (expect.value("needs", "") == "root" && ::geteuid() != 0) GTEST_SKIP() << "needs a grader run as root";
  const std::string tree_name = expect.value("tree", name);
  const bool the_starter = tree_name == "exercises";
  const fs::path tree = the_starter ? kExercises : kCorpus / tree_name;
  const fs::path watched = the_starter ? kExercises / "l01_threads_and_processes" / "e1_download_sites" : tree;

  // The marker travels in the environment to every process the run starts; a private TMPDIR
  // collects every temporary file it makes.
  const std::string marker = "PARLAB_CORPUS_RUN=" + name + "-" + std::to_string(::getpid());
  const fs::path tmp = scratch_of_this_test() / ("tmp-" + name);
  fs::create_directories(tmp);
  const auto before = snapshot(watched);
  const auto start = std::chrono::steady_clock::now();
  std::map<std::string, std::string> env = expect.value("env", std::map<std::string, std::string>{});
  env["PARLAB_CORPUS_RUN"] = marker.substr(marker.find('=') + 1);
  env["TMPDIR"] = tmp.string();
  // A staged build of the corpus's own (slot 3; the batch test has 1 and 2): the e2e test holds
  // the default one for its whole run, 18 min on 2 cores, and the corpus would wait that long.
  std::vector<std::string> args = expect.value("args", std::vector<std::string>{});
  args.insert(args.end(), {"--stage-slot", "3"});
  const Graded g = grade({.tree = tree.string(), .extra = args, .env = env, .name = name});
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  ASSERT_TRUE(g.report.contains("exercises")) << "no report\n" << g.output;
  if (const std::string network = g.report["containment"].value("network", "");
      expect.value("needs", "") == "private_network" && network != "loopback only") {
    GTEST_SKIP() << "no private network here (" << network << ")";
  }
  EXPECT_EQ(g.run.exit_code, expect.value("exit_code", 1)) << g.output;
  const json containment = expect.value("containment", json::object());
  for (const auto& [field, text] : containment.items()) {
    const std::string said = g.report["containment"].value(field, "");
    EXPECT_NE(said.find(text.get<std::string>()), std::string::npos) << field << ": " << said;
  }
  for (const auto& [part, verdict] : expect["verdicts"].items()) {
    EXPECT_EQ(g.part(part.c_str()).value("verdict", "(none)"), verdict) << part << "\n" << g.output;
  }
  std::map<std::string, json> says = {{"", expect.value("says", json::object())}};
  if (!find_program("gdb").empty()) says["gdb"] = expect.value("says_with_gdb", json::object());
  for (const auto& [when, by_part] : says) {
    for (const auto& [part, texts] : by_part.items()) {
      const std::string said = g.part(part.c_str()).dump();
      for (const std::string text : texts)
        EXPECT_NE(said.find(text), std::string::npos) << part << ": " << text << "\n" << said;
    }
  }
  for (const std::string text : expect.value("prints", json::array())) {
    EXPECT_NE(g.output.find(text), std::string::npos) << text << "\n" << g.output;
  }
  if (expect.contains("score")) {
    EXPECT_EQ(g.report["exercises"][0]["score"], expect["score"]);
  }
  // The bound is on grading: not on compiling the kit's given code (on a clean clone the first
  // case builds the whole staged tree), nor on waiting for a lock on it (another `meson test`
  // run's corpus).
  const auto seconds_after = [&](const std::string& words) {
    const auto at = g.output.rfind(words);  // the stderr line, after the table's
    if (at == std::string::npos) return 0.0;
    try {
      return std::stod(g.output.substr(at + words.size()));
    } catch (const std::exception&) {
      return 0.0;  // the words, but no figure after them
    }
  };
  const double grading = took - seconds_after("compiled in ") - seconds_after("waited ");
  EXPECT_LT(grading, expect.value("within_seconds", 300.0)) << "the run took too long besides compiling and waiting";

  EXPECT_EQ(processes_marked(marker), std::vector<std::string>{}) << "processes of the submission outlived the grader";
  EXPECT_TRUE(snapshot(watched) == before) << "grading changed the submitted tree";
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(tmp)) left.push_back(entry.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{}) << "temporary files outlived the grader in " << tmp;
}

INSTANTIATE_TEST_SUITE_P(Corpus, Submission, ::testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

}  // namespace

int main(int argc, char** argv) { return parlab::grader::testing::run_graded_tests(argc, argv); }
