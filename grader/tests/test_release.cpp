// Test: `grader release` cuts a student kit that holds no answer, and that a student can clone
// and grade: its `make grade` builds the grader, runs the public tests and the timing against
// the fixture, and says the hidden tests are not included.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "supervisor.hpp"
#include "tree_build.hpp"

namespace fs = std::filesystem;
using parlab::grader::ChildResult;
using parlab::grader::ChildSpec;
using parlab::grader::run_child;
using parlab::grader::run_tool;

namespace {

const fs::path kKit = PARLAB_SOURCE_ROOT;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The bytes of every file under `root`, to find a copied answer under another name.
std::set<std::string> contents_under(const fs::path& root) {
  std::set<std::string> contents;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().string().find("/.git/") == std::string::npos) {
      contents.insert(read_text(entry.path()));
    }
  }
  return contents;
}

class Release : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    home_ = fs::temp_directory_path() / ("parlab-release-test-" + std::to_string(::getpid()));
    fs::remove_all(home_);
    fs::create_directories(home_);
    ChildSpec cut;
    cut.program = PARLAB_GRADER;
    cut.args = {"release", (home_ / "kit").string()};
    cut.work_dir = home_ / "cut";
    cut.timeout = std::chrono::minutes(2);
    cut_ = new ChildResult(run_child(cut));
    clone_ = home_ / "clone";
    cloned_ = new ChildResult(run_tool("git", {"clone", "-q", (home_ / "kit").string(), clone_.string()}, home_ / "git",
                                       std::chrono::seconds(120)));
  }
  static void TearDownTestSuite() {
    delete cut_;
    delete cloned_;
    fs::remove_all(home_);
  }
  static inline fs::path home_, clone_;
  static inline ChildResult *cut_ = nullptr, *cloned_ = nullptr;
};

TEST_F(Release, HoldsNoSolutionNoHiddenTestAndNoCorpus) {
  ASSERT_TRUE(cut_->ok()) << cut_->describe() << "\n" << cut_->stdout_text() << cut_->stderr_text();
  ASSERT_TRUE(cloned_->ok()) << cloned_->stderr_text();
  for (const char* absent : {"solutions", "grader/hidden", "grader/tests", "grader/release", ".ci"}) {
    EXPECT_FALSE(fs::exists(clone_ / absent)) << absent;
  }
  for (const char* present :
       {"README.md", "Makefile", "meson.build", "lectures/README.md", "grader/src/main.cpp",
        "exercises/l01_threads_and_processes/e1_download_sites/download_sites.cpp", ".github/workflows/grade.yml"}) {
    EXPECT_TRUE(fs::is_regular_file(clone_ / present)) << present;
  }
  // No answer under another name: no file of the release has the bytes of a solution or of a
  // hidden test (the starters differ from the solutions, or there would be nothing to do).
  const std::set<std::string> shipped = contents_under(clone_);
  for (const char* answers : {"solutions", "grader/hidden", "grader/tests/submissions"}) {
    for (const auto& entry : fs::recursive_directory_iterator(kKit / answers)) {
      if (!entry.is_regular_file() || entry.path().filename() == "expect.json") continue;
      EXPECT_FALSE(shipped.contains(read_text(entry.path()))) << entry.path() << " is in the release";
    }
  }
  EXPECT_NE(read_text(clone_ / "README.md").find("This is the student kit"), std::string::npos);
  EXPECT_NE(read_text(clone_ / ".github/workflows/grade.yml").find("make grade"), std::string::npos);
}

TEST_F(Release, RefusesAFolderItWouldCopyOrOneNotEmpty) {
  ChildSpec inside;
  inside.program = PARLAB_GRADER;
  inside.args = {"release", (kKit / "exercises" / "release-test").string()};
  inside.work_dir = home_ / "inside";
  const ChildResult refused = run_child(inside);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.stderr_text().find("inside what the release copies"), std::string::npos) << refused.stderr_text();
  EXPECT_FALSE(fs::exists(kKit / "exercises" / "release-test"));
  inside.args = {"release", (home_ / "kit").string()};  // made by the suite: not empty
  const ChildResult again = run_child(inside);
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.stderr_text().find("not an empty folder"), std::string::npos) << again.stderr_text();
}

// The autograder's kit (make gradescope) keeps the hidden tests, and still no solution.
TEST_F(Release, TheAutogradersKitKeepsTheHiddenTestsAndNoSolution) {
  ChildSpec cut;
  cut.program = PARLAB_GRADER;
  cut.args = {"release", "--autograder", (home_ / "autograder").string()};
  cut.work_dir = home_ / "cut-autograder";
  const ChildResult made = run_child(cut);
  ASSERT_TRUE(made.ok()) << made.stdout_text() << made.stderr_text();
  EXPECT_TRUE(fs::is_directory(home_ / "autograder" / "grader" / "hidden"));
  for (const char* absent : {"solutions", "grader/tests", ".github", ".git"}) {
    EXPECT_FALSE(fs::exists(home_ / "autograder" / absent)) << absent;
  }
}

// A fresh clone, graded as a student would: `make grade` on exercise 1.1's starter.
TEST_F(Release, AFreshCloneGradesWithTheFixtureAndTiming) {
  ASSERT_TRUE(cloned_->ok());
  ChildSpec grade;
  grade.program = parlab::grader::find_program("make");
  grade.args = {"-C", clone_.string(), "grade", "EX=1.1",
                "GRADE_FLAGS=--no-sanitize --json " + (home_ / "grade.json").string()};
  grade.work_dir = home_ / "grade";
  grade.timeout = std::chrono::minutes(40);
  grade.memory_bytes = 0;
  grade.output_bytes = 0;
  const ChildResult graded = run_child(grade);
  const std::string output = graded.stdout_text() + graded.stderr_text();
  EXPECT_EQ(graded.exit_code, 2) << "make passes on the grader's 1: the starter fails its speedup\n" << output;
  EXPECT_NE(output.find("the hidden tests are not included"), std::string::npos) << output;
  const nlohmann::json report = nlohmann::json::parse(read_text(home_ / "grade.json"), nullptr, false);
  ASSERT_TRUE(report.is_object()) << output;
  const nlohmann::json& parts = report["exercises"][0]["parts"];
  EXPECT_EQ(parts["tests"]["verdict"], "pass") << output;
  EXPECT_EQ(parts["hidden"]["verdict"], "skipped") << output;
  EXPECT_EQ(parts["differential"]["verdict"], "pass") << output;
  // The starter is sequential: timed against the fixture, and failed for it, with the reason.
  EXPECT_EQ(parts["speedup"]["verdict"], "fail") << output;
  EXPECT_GT(parts["speedup"].value("rounds", 0), 0) << output;
  EXPECT_EQ(parts["speedup"].value("peak_in_flight", 0), 1) << output;
}

}  // namespace
