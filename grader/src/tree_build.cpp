// Grader: staging, configuring and compiling a graded tree (see tree_build.hpp).
#include "tree_build.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "submission.hpp"
#include "supervisor.hpp"
#include "test_runner.hpp"
#include "unprivileged_user.hpp"
#include "whole_file.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

// Writes only when the bytes differ, so an unchanged file keeps its timestamp and ninja does
// not rebuild what is already built.
bool copy_if_changed(const fs::path& from, const fs::path& to) {
  const std::string bytes = read_file(from);
  if (fs::exists(to) && read_file(to) == bytes) return false;
  fs::create_directories(to.parent_path());
  std::ofstream(to, std::ios::binary | std::ios::trunc) << bytes;
  return true;
}

// What to build of an exercise in `build_dir`: everything in the normal build; only what its tests
// run in the ThreadSanitizer twin, which runs nothing else (the benches time the normal build).
std::string target_for(const TreeBuild& tree, const fs::path& build_dir, const Exercise& ex) {
  return build_dir == tree.tsan_dir ? ex.target_alias() + "_tests" : ex.target_alias();
}

}  // namespace

ChildResult run_tool(const std::string& tool, std::vector<std::string> args, const fs::path& work_dir,
                     std::chrono::seconds timeout) {
  ChildSpec spec;
  spec.program = find_program(tool);
  spec.args = std::move(args);
  spec.work_dir = work_dir;
  spec.timeout = timeout;
  spec.memory_bytes = 0;  // compilers of Beast-sized units need room; the timeout still binds
  spec.output_bytes = 0;
  if (spec.program.empty()) {
    ChildResult missing;
    missing.spawn_error = tool + " is not on PATH (run `make deps`)";
    return missing;
  }
  return run_child(spec);
}

TreeLock::TreeLock(const fs::path& build_dir) {
  fs::create_directories(build_dir);
  const fs::path lock_path = build_dir / "parlab-grader.lock";
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(fmt::format("cannot open {}", lock_path.string()));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    fmt::print(stderr, "another grader run is using {}; waiting for it to finish\n", build_dir.string());
    const auto start = std::chrono::steady_clock::now();
    ::flock(fd_, LOCK_EX);
    fmt::print(stderr, "waited {:.0f} s for the other run\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

TreeLock::~TreeLock() { ::close(fd_); }  // closing releases the lock

TreeBuild stage_tree(const Kit& kit, const std::string& tree, const std::vector<Exercise>& exercises, unsigned slot) {
  TreeBuild build;
  build.name = tree;
  fs::path given = tree;
  if (given.is_relative()) {
    // "exercises" and "solutions" name the kit's folders; other relative paths are the caller's.
    const fs::path in_kit = kit.source_root / given;
    given = (tree == "exercises" || tree == "solutions") ? in_kit : fs::absolute(given);
  }
  // A submission comes as a folder shaped like exercises/, a clone of the kit, or an archive
  // from `make submit` (unpacked below, once the staged build is ours).
  const bool archive = is_submission_archive(given);
  if (!archive) {
    given = exercises_folder_of(given);
    if (!fs::is_directory(given)) throw std::runtime_error(fmt::format("tree {}: no such folder", given.string()));
    build.source = fs::canonical(given);
  }

  if (!archive && build.source == fs::canonical(kit.source_root / "exercises")) {
    build.compiled = build.source;
    build.build_dir = kit.build_root;
    build.tsan_dir = kit.build_root / "tsan";
  } else {
    // One staging build for every other tree, taken in turn under its lock: the given code (tests,
    // baselines, harness, fixture) compiles once, and grading the next tree recompiles only the
    // student files that differ from the last one's.
    const fs::path home =
        kit.build_root / "trees" / (slot == 0 ? std::string("staged") : fmt::format("staged-{}", slot));
    build.compiled = home / "src";
    build.build_dir = home / "build";
    build.tsan_dir = home / "tsan";
  }
  build.lock = std::make_shared<TreeLock>(build.build_dir);
  if (archive) build.source = unpack_submission(given, build.compiled.parent_path() / "unpacked");

  for (const auto& ex : exercises) {
    for (const auto& file : ex.student_files) {
      const fs::path from = build.source / ex.dir / file;
      const fs::path staged = build.compiled / ex.dir / file;
      if (!fs::is_regular_file(from)) {
        build.missing[ex.id].push_back(file);
        if (build.compiled != build.source) fs::remove(staged);
        continue;
      }
      build.present.push_back((ex.dir / file).string());
      if (build.compiled != build.source) copy_if_changed(from, staged);
    }
  }
  build.unprivileged_problem = prepare_unprivileged_runs({build.build_dir, build.tsan_dir});
  return build;
}

std::optional<std::string> configure(const Kit& kit, const TreeBuild& tree, bool sanitized, const fs::path& scratch) {
  const fs::path dir = sanitized ? tree.tsan_dir : tree.build_dir;
  // Which student files exist is decided when meson configures; reconfigure when that changes.
  const std::string present = fmt::format("{}\n", fmt::join(tree.present, "\n"));
  const fs::path stamp = dir / "parlab-student-files.txt";
  const bool configured = fs::exists(dir / "build.ninja");
  if (configured && fs::exists(stamp) && read_file(stamp) == present) return std::nullopt;

  std::vector<std::string> args = {"setup"};
  if (configured) args.push_back("--reconfigure");
  args.insert(args.end(), {dir.string(), kit.source_root.string(), "-Dtree=" + tree.compiled.string()});
  if (dir != kit.build_root) {  // the kit's own build keeps its settings
    // -g1: line tables, enough for a stack with file and line, at three quarters of -g's compile time.
    args.insert(args.end(), {"-Dkit=false", "-Dcpp_args=-g1"});
  }
  if (sanitized) args.push_back("-Db_sanitize=thread");
  const ChildResult setup =
      run_tool("meson", args, scratch / (sanitized ? "setup-tsan" : "setup"), std::chrono::minutes(5));
  if (!setup.ok()) {
    return fmt::format("meson setup {} failed ({}):\n{}", dir.string(), setup.describe(),
                       tail_lines(setup.stdout_text() + setup.stderr_text(), 20));
  }
  fs::create_directories(dir);
  std::ofstream(stamp, std::ios::trunc) << present;
  return std::nullopt;
}

TreeBuild build_one_exercise(const Kit& kit, const std::string& tree, const std::vector<Exercise>& all,
                             const Exercise& ex, const fs::path& scratch) {
  TreeBuild build = stage_tree(kit, tree, all);
  if (const auto problem = configure(kit, build, false, scratch / "setup")) throw std::runtime_error(*problem);
  const PartResult compiled = build_exercise(build, build.build_dir, ex, scratch / "build");
  if (compiled.verdict != Verdict::pass) {
    throw std::runtime_error(
        fmt::format("{} {} does not build in {}: {}\n{}", ex.id, ex.title, tree, compiled.reason, compiled.excerpt));
  }
  return build;
}

std::string compiler_errors(const std::string& log, std::size_t max_lines) {
  std::istringstream lines(log);
  std::string kept;
  std::size_t count = 0;
  bool in_error = false;
  for (std::string line; std::getline(lines, line) && count < max_lines;) {
    if (line.find("error") != std::string::npos) in_error = true;
    if (line.rfind("[", 0) == 0 || line.rfind("ninja:", 0) == 0) in_error = false;  // progress lines
    if (in_error) {
      kept += line + "\n";
      ++count;
    }
  }
  return kept.empty() ? tail_lines(log, max_lines) : kept;
}

std::chrono::duration<double> build_all(const TreeBuild& tree, const fs::path& build_dir,
                                        const std::vector<Exercise>& exercises, const fs::path& scratch) {
  std::vector<std::string> args = {"-k", "0", "-C", build_dir.string()};
  for (const auto& ex : exercises) {
    if (!tree.missing.contains(ex.id)) args.push_back(target_for(tree, build_dir, ex));
  }
  if (args.size() == 4) return {};
  // Bounded like the builds one by one; should it run out, build_exercise finishes the work.
  const auto timeout = std::chrono::minutes(10) * static_cast<int>(args.size() - 4);
  return run_tool("ninja", std::move(args), scratch, std::chrono::duration_cast<std::chrono::seconds>(timeout)).wall;
}

PartResult build_exercise(const TreeBuild& tree, const fs::path& build_dir, const Exercise& ex,
                          const fs::path& scratch) {
  if (const auto gone = tree.missing.find(ex.id); gone != tree.missing.end()) {
    PartResult part{Verdict::fail,
                    fmt::format("the tree has no {} in {}", fmt::join(gone->second, ", "), ex.dir.string())};
    part.summary = "student file missing";
    return part;
  }
  const std::string target = target_for(tree, build_dir, ex);
  const ChildResult ninja = run_tool("ninja", {"-C", build_dir.string(), target}, scratch, std::chrono::minutes(10));
  PartResult part;
  if (ninja.ok()) {
    part.verdict = Verdict::pass;
    part.details["seconds"] = ninja.wall.count();
    const bool up_to_date = ninja.stdout_text().find("no work to do") != std::string::npos;
    part.summary = up_to_date ? "compiled" : fmt::format("compiled in {:.1f} s", ninja.wall.count());
    return part;
  }
  if (ninja.end != ChildResult::End::exited) return PartResult::error("the build did not finish: " + ninja.describe());
  const std::string log = ninja.stdout_text() + ninja.stderr_text();
  if (log.find("unknown target") != std::string::npos) {
    return PartResult::error(
        fmt::format("the build dir {} has no target {}; delete it and run again", build_dir.string(), target));
  }
  part.verdict = Verdict::fail;
  part.summary = "does not compile";
  part.reason = "the compiler rejected the student code";
  part.excerpt = compiler_errors(log);
  return part;
}

}  // namespace parlab::grader
