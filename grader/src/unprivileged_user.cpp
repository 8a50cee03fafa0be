// Grader: running the submission's code as an unprivileged user (see unprivileged_user.hpp).
#include "unprivileged_user.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mutex>

#include "task_cap.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

constexpr const char* kUser = "nobody";

std::mutex decided_mutex;
std::optional<RunAs> decided;

// The first folder from `path` up to / that another user cannot pass through, or empty. A
// folder not made yet (a build folder before its first configure) is made open, as meson and
// the grader make folders.
fs::path first_closed_folder(const fs::path& path) {
  std::error_code ec;
  for (fs::path folder = fs::absolute(path, ec);; folder = folder.parent_path()) {
    struct stat info {};
    if (::stat(folder.c_str(), &info) == 0 && (info.st_mode & S_IXOTH) == 0) return folder;
    if (folder == folder.root_path()) return {};
  }
}

}  // namespace

std::string prepare_unprivileged_runs(const std::vector<fs::path>& build_dirs) {
  const std::lock_guard lock(decided_mutex);
  decided.reset();
  if (::geteuid() != 0) return "the grader does not run as root";
  if (task_cap_unavailable_reason().empty()) return "a pids cgroup caps the tasks";
  const passwd* user = ::getpwnam(kUser);
  if (user == nullptr || user->pw_uid == 0) return fmt::format("this machine has no user {}", kUser);
  std::vector<fs::path> needed = build_dirs;
  needed.push_back(fs::temp_directory_path());
  for (const fs::path& folder : needed) {
    if (const fs::path closed = first_closed_folder(folder); !closed.empty()) {
      return fmt::format("{} cannot be entered by other users, so {} could not run the tests (chmod o+x it)",
                         closed.string(), kUser);
    }
  }
  decided = RunAs{user->pw_uid, user->pw_gid, kUser};
  return "";
}

std::optional<RunAs> unprivileged_runner() {
  const std::lock_guard lock(decided_mutex);
  return decided;
}

void hand_over(const fs::path& work_dir, const RunAs& user) {
  [[maybe_unused]] const int given = ::chown(work_dir.c_str(), user.uid, user.gid);
  std::error_code ec;
  const fs::path temp = fs::weakly_canonical(fs::temp_directory_path(), ec);
  // The scratch folders between the temp folder and the work folder are the grader's own,
  // made private (mkdtemp's 0700): open them for passing through only.
  for (fs::path folder = fs::weakly_canonical(work_dir, ec).parent_path();
       folder.has_relative_path() && folder != temp && folder.string().starts_with(temp.string());
       folder = folder.parent_path()) {
    struct stat info {};
    if (::stat(folder.c_str(), &info) == 0 && (info.st_mode & S_IXOTH) == 0) {
      ::chmod(folder.c_str(), (info.st_mode & 07777) | S_IXOTH);
    }
  }
}

unsigned tasks_of_user(uid_t uid) {
  unsigned tasks = 0;
  std::error_code ec;
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    struct stat info {};
    if (::stat(it->path().c_str(), &info) != 0 || info.st_uid != uid) continue;
    std::error_code none;
    for (fs::directory_iterator task(it->path() / "task", none); !none && task != fs::directory_iterator();
         task.increment(none)) {
      ++tasks;
    }
  }
  return tasks;
}

}  // namespace parlab::grader
