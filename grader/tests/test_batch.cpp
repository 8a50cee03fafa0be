// Test: `grader batch` on a class of five (a solution handed in as a `make submit` archive, the
// starter, a data race, a broken build, a hang): the gradebook gets each its verdicts, and a
// batch interrupted in its timing pass resumes without regrading the students it finished.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "supervisor.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using parlab::grader::ChildResult;
using parlab::grader::ChildSpec;
using parlab::grader::run_child;

namespace {

const fs::path kKit = PARLAB_SOURCE_ROOT;
const fs::path kCorpus = kKit / "grader" / "tests" / "submissions";
const fs::path kHangs = kKit / "grader" / "tests" / "batch_class" / "erin";  // hangs on an empty list
const fs::path kExercise = fs::path("l01_threads_and_processes") / "e1_download_sites";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

ChildSpec grader(std::vector<std::string> args, const fs::path& work_dir) {
  ChildSpec spec;
  spec.program = PARLAB_GRADER;
  spec.args = std::move(args);
  spec.work_dir = work_dir;
  spec.timeout = std::chrono::minutes(50);
  spec.memory_bytes = 0;
  spec.output_bytes = 0;
  spec.max_tasks = parlab::grader::kTasksOfAGrader;
  return spec;
}

json part(const fs::path& out, const std::string& student, const std::string& name) {
  const json report = json::parse(read_text(out / "reports" / (student + ".json")), nullptr, false);
  if (!report.is_object()) return json();
  return report["exercises"][0]["parts"][name];
}

// Each part's verdict and why, for a failure message.
std::string verdicts_of(const fs::path& out, const std::string& student) {
  const json report = json::parse(read_text(out / "reports" / (student + ".json")), nullptr, false);
  if (!report.is_object()) return student + ": no report";
  std::string text = student + ":";
  for (const auto& [name, part] : report["exercises"][0]["parts"].items()) {
    text += "\n  " + name + " " + part.value("verdict", "") + " " + part.value("summary", "") + " " +
            part.value("reason", "");
  }
  return text;
}

TEST(Batch, GradesAClassAndResumesWhereItWasInterrupted) {
  const fs::path home = fs::temp_directory_path() / ("parlab-batch-test-" + std::to_string(::getpid()));
  fs::remove_all(home);
  const fs::path subs = home / "subs", out = home / "out";
  fs::create_directories(subs);

  // alice hands in the reference solution the way a student hands in: `make submit`'s archive.
  const ChildResult packed = run_child(grader(
      {"submit", "--tree", (kKit / "solutions").string(), "--out", (subs / "alice.tar.gz").string()}, home / "submit"));
  ASSERT_TRUE(packed.ok()) << packed.stdout_text() << packed.stderr_text();
  // bob the untouched starter, in a folder of his own; the others from the corpus.
  fs::create_directories(subs / "bob" / kExercise);
  fs::copy_file(kKit / "exercises" / kExercise / "download_sites.cpp", subs / "bob" / kExercise / "download_sites.cpp");
  fs::create_directory_symlink(kCorpus / "data_race", subs / "carol");
  fs::create_directory_symlink(kCorpus / "compile_error", subs / "dave");
  fs::create_directory_symlink(kHangs, subs / "erin");

  // 10 s per test: the starter's slowest test takes 4 s here, and erin's two hung tests cost 10 s
  // each (the corpus's deadlock hangs in 21 tests: too slow a student for this test).
  const std::vector<std::string> batch = {"batch",      subs.string(), "1.1", "--jobs",    "2", "--out",
                                          out.string(), "--seed",      "11",  "--timeout", "10"};
  // First run: interrupted as soon as the first student's report is written (the timing pass,
  // after every student's correctness).
  std::atomic<int> pid{0};
  ChildSpec first = grader(batch, home / "first");
  first.on_started = [&pid](int started) { pid = started; };
  ChildResult interrupted;
  std::atomic<bool> ended{false};
  std::thread running([&] {
    interrupted = run_child(first);
    ended = true;
  });
  const auto reports = [&out] {
    int count = 0;
    std::error_code ec;
    for (fs::directory_iterator it(out / "reports", ec), end; !ec && it != end; it.increment(ec)) {
      count += it->path().extension() == ".json";
    }
    return count;
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(45);
  while (reports() == 0 && !ended && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (pid > 0) ::kill(pid, SIGINT);
  running.join();
  ASSERT_GE(reports(), 1) << interrupted.stdout_text() << interrupted.stderr_text();
  EXPECT_EQ(interrupted.exit_code, 130) << interrupted.describe() << "\n" << interrupted.stdout_text();
  std::map<std::string, std::string> finished;
  for (const auto& entry : fs::directory_iterator(out / "reports")) {
    finished[entry.path().stem().string()] = read_text(entry.path());
  }
  ASSERT_LT(finished.size(), 5u) << "the interrupt came too late to test a resume";

  // Second run: the finished students are not regraded; the rest are.
  const ChildResult resumed = run_child(grader(batch, home / "second"));
  const std::string said = resumed.stdout_text() + resumed.stderr_text();
  EXPECT_EQ(resumed.exit_code, 0) << said;
  for (const auto& [student, report] : finished) {
    EXPECT_NE(said.find(student + ": already graded"), std::string::npos) << said;
    EXPECT_EQ(read_text(out / "reports" / (student + ".json")), report) << student << " was graded again";
  }
  // The right verdicts. Timing on a machine busy with other tests may be inconclusive, never a
  // fail for the solution.
  EXPECT_EQ(part(out, "alice", "tests")["verdict"], "pass");
  EXPECT_EQ(part(out, "alice", "hidden")["verdict"], "pass");
  EXPECT_EQ(part(out, "alice", "races")["verdict"], "pass");
  EXPECT_NE(part(out, "alice", "speedup")["verdict"], "fail") << part(out, "alice", "speedup").dump(2);
  EXPECT_TRUE(part(out, "alice", "speedup").contains("machine")) << "a timed result records the machine";
  EXPECT_EQ(part(out, "bob", "tests")["verdict"], "pass");
  EXPECT_EQ(part(out, "bob", "speedup")["verdict"], "fail");
  EXPECT_EQ(part(out, "carol", "races")["verdict"], "fail");
  EXPECT_EQ(part(out, "dave", "build")["verdict"], "fail");
  EXPECT_EQ(part(out, "dave", "speedup")["verdict"], "fail") << "a broken build earns no speedup";
  EXPECT_EQ(part(out, "erin", "tests")["verdict"], "fail");
  EXPECT_EQ(part(out, "erin", "races")["verdict"], "skipped") << "tests that hang are not run again under TSan";

  // The gradebook: a header, then a row per student, its total matching its report.
  std::istringstream gradebook(read_text(out / "gradebook.csv"));
  std::string line;
  std::getline(gradebook, line);
  EXPECT_EQ(line, "student,1.1 tests,1.1 hidden,1.1 races,1.1 speedup,total,max,status");
  std::vector<std::string> rows;
  while (std::getline(gradebook, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 5u) << read_text(out / "gradebook.csv");
  const auto cells = [](const std::string& row) {
    std::vector<std::string> out;
    std::istringstream in(row);
    for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
    return out;
  };
  EXPECT_TRUE(rows[0].starts_with("alice,3,3,2,")) << rows[0] << "\n" << verdicts_of(out, "alice");
  EXPECT_EQ(rows[1], "bob,3,3,2,0,8,10,graded") << verdicts_of(out, "bob");
  ASSERT_EQ(cells(rows[2]).size(), 8u) << rows[2];
  EXPECT_EQ(cells(rows[2])[0], "carol");
  EXPECT_EQ(cells(rows[2])[3], "0") << "the race costs its points: " << rows[2] << "\n" << verdicts_of(out, "carol");
  EXPECT_EQ(rows[3], "dave,0,0,0,0,0,10,graded");
  ASSERT_EQ(cells(rows[4]).size(), 8u) << rows[4];
  EXPECT_EQ(cells(rows[4])[0], "erin");
  EXPECT_NE(cells(rows[4])[1], "3") << "a hang cannot pass every public test: " << rows[4] << "\n"
                                    << verdicts_of(out, "erin");
  if (!::testing::Test::HasFailure()) fs::remove_all(home);  // else kept, to read
}

}  // namespace
