// Grader: the cap on tasks where the machine has no pids cgroup to give (task_cap.hpp).
//
// RLIMIT_NPROC caps how many tasks a user runs at once, counted over all of that user's
// processes. Root ignores it, so a grader running as root without a cgroup (a container, a
// Gradescope image) runs the submission's tests and benches as an unprivileged user instead
// ("nobody"), with the limit at what that user runs now plus the cap. The compiler never runs
// as that user: only code of the submission does. Each child gets its working folder handed
// over; the build folder and the temp folder must already be open to other users, or there
// is no cap, and the report says why.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace parlab::grader {

struct RunAs {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
};

// Decides, once per grading run, whether the submission's code runs as an unprivileged user:
// only as root, without a pids cgroup, with the user present and the `build_dirs` (whose
// programs it runs) and the temp folder reachable by it. Returns why not (empty when it will).
// Without a call, it never does.
std::string prepare_unprivileged_runs(const std::vector<std::filesystem::path>& build_dirs);

// The user the submission's code runs as, after prepare_unprivileged_runs() said yes.
std::optional<RunAs> unprivileged_runner();

// Gives `work_dir` to `user` and opens the folders above it, up to the temp folder, for it to
// pass through (execute, not list).
void hand_over(const std::filesystem::path& work_dir, const RunAs& user);

// Threads and processes `uid` runs now, the count RLIMIT_NPROC compares with its limit.
unsigned tasks_of_user(uid_t uid);

}  // namespace parlab::grader
