// Grader: the student kit (see release.hpp).
#include "release.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <string>
#include <vector>

#include "supervisor.hpp"
#include "whole_file.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

// What the release takes from the top of the kit.
constexpr std::array kTopFiles = {"README.md",     "Makefile",    "meson.build", "meson_options.txt",
                                  ".clang-format", ".clang-tidy", ".gitignore"};
constexpr std::array kTopFolders = {"lectures", "exercises", "grader"};
// What it leaves out of them: answers, and the instructor's tools. Paths relative to the kit.
constexpr std::array kKeptBack = {"grader/hidden", "grader/tests", "grader/release", "grader/gradescope"};

const char* const kStudentKitNote =
    "> **This is the student kit.** The hidden tests, the reference solutions and the grader's own\n"
    "> tests are not in it: `make grade` skips each exercise's hidden part and says so, and your\n"
    "> instructor's grader runs it. `make submit` packs your work for handing in.\n\n";

bool under(const fs::path& relative, const std::string& folder) {
  const std::string path = relative.generic_string();
  return path == folder || path.starts_with(folder + "/");
}

bool kept_back(const fs::path& relative, bool for_autograder) {
  return std::any_of(kKeptBack.begin(), kKeptBack.end(), [&](const std::string held) {
    return under(relative, held) && !(for_autograder && held == "grader/hidden");
  });
}

// Copies `folder` of the kit into `out`, but what is kept back and Python's caches; returns the
// number of files copied.
int copy_folder(const fs::path& kit, const fs::path& folder, const fs::path& out, bool for_autograder) {
  int files = 0;
  for (auto it = fs::recursive_directory_iterator(kit / folder); it != fs::recursive_directory_iterator(); ++it) {
    const fs::path relative = fs::relative(it->path(), kit);
    if (kept_back(relative, for_autograder) || it->path().filename() == "__pycache__") {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory()) {
      fs::create_directories(out / relative);
    } else if (it->is_regular_file()) {
      fs::create_directories((out / relative).parent_path());
      fs::copy_file(it->path(), out / relative, fs::copy_options::overwrite_existing);
      ++files;
    }
  }
  return files;
}

// The README with the note above its first section.
std::string readme_for_students(const std::string& readme) {
  const auto section = readme.find("\n## ");
  if (section == std::string::npos) return readme + "\n" + kStudentKitNote;
  return readme.substr(0, section + 1) + kStudentKitNote + readme.substr(section + 1);
}

std::string problem_with_out(const fs::path& kit, const fs::path& out) {
  std::error_code ec;
  if (fs::exists(out) && !(fs::is_directory(out) && fs::is_empty(out, ec))) {
    return fmt::format("{} exists and is not an empty folder", out.string());
  }
  // Inside a folder the release copies, it would copy itself; build/ is fine.
  const fs::path canonical_kit = fs::weakly_canonical(kit), canonical_out = fs::weakly_canonical(out);
  const fs::path inside = canonical_out.lexically_relative(canonical_kit);
  const bool copied = inside.empty() || inside == "." ||
                      std::any_of(kTopFolders.begin(), kTopFolders.end(),
                                  [&](const std::string folder) { return under(inside, folder); });
  if (!inside.empty() && !inside.string().starts_with("..") && copied) {
    return fmt::format("{} is inside what the release copies; choose a folder outside the kit", out.string());
  }
  if (!fs::is_regular_file(kit / "grader" / "release" / "grade.yml")) {
    return "grader/release/grade.yml is missing: this is already a student kit, or an incomplete one";
  }
  return "";
}

// Makes `out` a git repository of one commit; empty when done, else why not.
std::string commit(const fs::path& out, const fs::path& scratch) {
  const auto git = [&](std::vector<std::string> args) {
    std::vector<std::string> all = {
        "-C", out.string(), "-c", "user.name=parlab release", "-c", "user.email=parlab@localhost"};
    all.insert(all.end(), args.begin(), args.end());
    const ChildResult r = run_tool("git", all, scratch, std::chrono::seconds(120));
    return r.ok() ? std::string() : fmt::format("git {}: {}\n{}", args.front(), r.describe(), r.stderr_text(2000));
  };
  for (const auto& args : {std::vector<std::string>{"init", "-q", "-b", "main"},
                           {"add", "-A"},
                           {"commit", "-q", "-m", "parlab student kit"}}) {
    if (std::string problem = git(args); !problem.empty()) return problem;
  }
  return "";
}

}  // namespace

int cut_release(const ReleaseOptions& options) {
  const fs::path& kit = options.kit.source_root;
  const fs::path out = fs::absolute(options.out);
  if (const std::string problem = problem_with_out(kit, out); !problem.empty()) {
    fmt::print(stderr, "grader release: {}\n", problem);
    return 2;
  }
  fs::create_directories(out);
  int files = 0;
  for (const char* name : kTopFiles) {
    if (!fs::is_regular_file(kit / name)) continue;
    fs::copy_file(kit / name, out / name, fs::copy_options::overwrite_existing);
    ++files;
  }
  for (const char* folder : kTopFolders) files += copy_folder(kit, folder, out, options.for_autograder);
  if (options.for_autograder) {
    fmt::print(
        "autograder kit in {}: {} files, the hidden tests with them; left out: solutions/ and the "
        "instructor's tools\n",
        out.string(), files);
    return 0;
  }
  std::ofstream(out / "README.md", std::ios::trunc) << readme_for_students(read_file(kit / "README.md"));
  fs::create_directories(out / ".github" / "workflows");
  fs::copy_file(kit / "grader" / "release" / "grade.yml", out / ".github" / "workflows" / "grade.yml",
                fs::copy_options::overwrite_existing);
  ++files;

  const fs::path scratch = make_scratch_dir("parlab-release");
  const std::string not_committed = commit(out, scratch);
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  fmt::print("student kit in {}: {} files; left out: solutions/, {}/, the kit's CI\n", out.string(), files,
             fmt::join(kKeptBack, "/, "));
  if (!not_committed.empty()) {
    fmt::print(stderr, "grader release: the folder is complete, but it is not a git repository: {}\n", not_committed);
    return 2;
  }
  fmt::print("it is a git repository of one commit: push it as the course's template repository\n");
  return 0;
}

}  // namespace parlab::grader
