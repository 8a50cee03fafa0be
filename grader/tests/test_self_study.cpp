// Test: a learner's first steps, as the docs tell them (make check, make progress), and watch
// mode reacting to a save while costing nothing when idle.
//
// Each test keeps its progress in a temp dir (PARLAB_STATE_DIR), never in the build dir.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "supervisor.hpp"

extern char** environ;

namespace fs = std::filesystem;
using parlab::grader::ChildResult;
using parlab::grader::ChildSpec;
using parlab::grader::run_child;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path kKit = PARLAB_SOURCE_ROOT;
const fs::path kBuild = PARLAB_BUILD_ROOT;

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("parlab-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// `make TARGET VARS...` in the kit, as a learner types it, with progress kept in `state`.
ChildResult make(const std::vector<std::string>& args, const fs::path& state) {
  ChildSpec spec;
  spec.program = parlab::grader::find_program("make");
  spec.args = {"-C", kKit.string(), "BUILD=" + kBuild.string()};
  spec.args.insert(spec.args.end(), args.begin(), args.end());
  spec.work_dir = state / "make";
  spec.env = {{"PARLAB_STATE_DIR", state.string()}};
  spec.timeout = std::chrono::minutes(20);  // a first `make check` may wait for the build's lock
  spec.memory_bytes = 0;
  return run_child(spec);
}

// The grader's watch mode as a child whose stdin we type into, its output going to a file.
class Watcher {
 public:
  Watcher(const fs::path& tree, const fs::path& dir) : output_(dir / "watch.out") {
    int keys[2];
    if (::pipe(keys) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, keys[0], STDIN_FILENO);
    posix_spawn_file_actions_addclose(&actions, keys[1]);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const std::string state = "PARLAB_STATE_DIR=" + dir.string();
    std::vector<char*> env;
    for (char** e = environ; *e != nullptr; ++e) env.push_back(*e);
    env.push_back(const_cast<char*>(state.c_str()));
    env.push_back(nullptr);
    std::vector<std::string> args = {PARLAB_GRADER, "watch", "1.1", "--tree", tree.string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (::posix_spawn(&pid_, PARLAB_GRADER, &actions, nullptr, argv.data(), env.data()) != 0) {
      throw std::runtime_error("posix_spawn");
    }
    posix_spawn_file_actions_destroy(&actions);
    ::close(keys[0]);
    keys_ = keys[1];
  }
  ~Watcher() {
    ::close(keys_);
    if (pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  std::string output() const { return read_file(output_); }
  void press(char key) { ASSERT_EQ(::write(keys_, &key, 1), 1); }
  pid_t pid() const { return pid_; }

  // Waits until `text` occurs `times` times in the output; false at the deadline.
  bool wait_for(const std::string& text, int times, std::chrono::seconds deadline) const {
    const auto until = Clock::now() + deadline;
    while (Clock::now() < until) {
      const std::string out = output();
      int seen = 0;
      for (auto at = out.find(text); at != std::string::npos; at = out.find(text, at + 1)) ++seen;
      if (seen >= times) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // The exit code once it has ended, or -1 at the deadline.
  int wait_exit(std::chrono::seconds deadline) {
    const auto until = Clock::now() + deadline;
    while (Clock::now() < until) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

 private:
  fs::path output_;
  pid_t pid_ = 0;
  int keys_ = -1;
};

// User plus system CPU time of a process so far, in clock ticks (/proc/<pid>/stat).
long cpu_ticks(pid_t pid) {
  std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {  // field 3 is the state; 14 and 15 are utime and stime
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

}  // namespace

// README.md's first steps: `make check EX=1.1` is green on the starter, and `make progress`
// shows that it changed 1.1 from "not started" to "tests pass".
TEST(SelfStudy, ANewLearnerReachesAGreenTestAndSeesProgressChange) {
  const fs::path state = temp_dir("learner");
  const ChildResult before = make({"progress"}, state);
  ASSERT_TRUE(before.ok()) << before.describe() << before.stderr_text();
  EXPECT_NE(before.stdout_text().find("1.1   download_sites       not started"), std::string::npos)
      << before.stdout_text();
  EXPECT_NE(before.stdout_text().find("Next: 1.1 download_sites"), std::string::npos);

  const ChildResult check = make({"check", "EX=1.1"}, state);
  ASSERT_TRUE(check.ok()) << check.describe() << check.stdout_text() << check.stderr_text();
  EXPECT_NE(check.stdout_text().find("1.1 download_sites: 9/9 tests pass"), std::string::npos) << check.stdout_text();

  const ChildResult after = make({"progress"}, state);
  ASSERT_TRUE(after.ok()) << after.describe();
  EXPECT_NE(after.stdout_text().find("1.1   download_sites       tests pass"), std::string::npos)
      << after.stdout_text();
  EXPECT_NE(after.stdout_text().find("make grade EX=1.1"), std::string::npos) << "the next step after green tests";

  const ChildResult hint = make({"hint", "EX=1.1"}, state);
  ASSERT_TRUE(hint.ok()) << hint.describe();
  EXPECT_NE(hint.stdout_text().find("Hint 1 of"), std::string::npos) << hint.stdout_text();
  EXPECT_NE(make({"hint", "EX=1.1"}, state).stdout_text().find("Hint 2 of"), std::string::npos) << "it remembers";
  fs::remove_all(state);
}

// A save is seen at once and rebuilt; idle, the watcher uses no CPU; h shows a hint, q quits.
TEST(SelfStudy, WatchReactsToASaveAndIdlesForFree) {
  const fs::path dir = temp_dir("watch");
  const fs::path exercise = dir / "tree" / "l01_threads_and_processes" / "e1_download_sites";
  fs::create_directories(exercise);
  const fs::path student_file = exercise / "download_sites.cpp";
  fs::copy_file(kKit / "exercises" / "l01_threads_and_processes" / "e1_download_sites" / "download_sites.cpp",
                student_file);

  Watcher watcher(dir / "tree", dir);
  // The first check builds the staged tree, which may wait for the e2e test to release it.
  ASSERT_TRUE(watcher.wait_for("save to rerun", 1, std::chrono::minutes(40))) << watcher.output();
  EXPECT_NE(watcher.output().find("9/9 tests pass"), std::string::npos) << watcher.output();

  const long idle_from = cpu_ticks(watcher.pid());
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const long idle_ticks = cpu_ticks(watcher.pid()) - idle_from;
  EXPECT_LE(idle_ticks, 5) << "a watcher that polls busily burns a core while the learner reads";

  const auto saved_at = Clock::now();
  std::ofstream(student_file, std::ios::app) << "// saved again\n";
  ASSERT_TRUE(watcher.wait_for("saved at", 1, std::chrono::seconds(30))) << watcher.output();
  const std::chrono::duration<double> reaction = Clock::now() - saved_at;
  RecordProperty("reaction_ms", static_cast<int>(reaction.count() * 1000));
  std::printf("watch saw the save after %.0f ms; idle for 3 s it used %ld clock ticks of CPU\n",
              reaction.count() * 1000, idle_ticks);
  ASSERT_TRUE(watcher.wait_for("save to rerun", 2, std::chrono::minutes(10))) << watcher.output();
  EXPECT_EQ(watcher.output().find("FAIL"), std::string::npos) << watcher.output();

  watcher.press('h');
  EXPECT_TRUE(watcher.wait_for("Hint 1 of", 1, std::chrono::seconds(30))) << watcher.output();
  watcher.press('q');
  EXPECT_EQ(watcher.wait_exit(std::chrono::seconds(30)), 0) << watcher.output();
  fs::remove_all(dir);
}

int main(int argc, char** argv) {
  parlab::grader::install_supervision();  // run_child's orphan reaping needs the subreaper
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
