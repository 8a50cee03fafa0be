// Grader: a cap on how many tasks (threads and processes: the kernel counts both) one child's
// tree may run at once, so a fork bomb or a thread per item stops at the cap instead of taking
// the machine down.
//
// The cap is a cgroup "pids" limit: a cgroup made for the child under the grader's own (cgroup
// v1's pids hierarchy, or v2 where the grader's cgroup delegates the pids controller), which the
// child joins between fork and exec. rlimit's RLIMIT_NPROC would be no cap for root, and counts
// every process of the user elsewhere: it is only the fallback where neither cgroup is writable
// (run_child, unprivileged_user.hpp), and `task_cap_unavailable_reason()` says why, for the
// report.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace parlab::grader {

class TaskCap {
 public:
  // A fresh cgroup allowing `max_tasks` at once; inactive when max_tasks is 0 or the machine
  // offers no writable pids cgroup.
  explicit TaskCap(unsigned max_tasks);
  ~TaskCap();  // removes the cgroup, and any a task made under it: call once its tasks have ended
  TaskCap(const TaskCap&) = delete;
  TaskCap& operator=(const TaskCap&) = delete;

  bool active() const { return procs_fd_ >= 0; }
  // Between fork and exec, in the child (async-signal-safe): join the cgroup.
  void join_from_child() const;
  // SIGKILL to every process in the cgroup, wherever it moved its group or session to.
  void kill_all() const;
  // After the child's tree has ended: whether a fork or a thread was refused for the cap.
  bool was_hit() const;
  // How many processes are in the cgroup now: the child's tree, and whatever left its group or
  // session. One small read, where walking /proc takes dozens: cheap enough to sample often.
  unsigned process_count() const;

 private:
  std::filesystem::path dir_;
  int procs_fd_ = -1;
};

// For the interrupt path, once the running child's group is killed: kills what is left in every
// cap still in use (daemons that left the group) and removes their cgroups, which the threads
// that own them, stopped by the exit, never will.
void remove_task_caps_after_interrupt();

// Empty when this machine lets the grader cap a child's tasks; otherwise why not, in a phrase
// ("no pids cgroup is mounted", "the pids cgroup is not writable").
std::string task_cap_unavailable_reason();

// The cgroup under which the caps are made (as parlab-<grader pid>-<n>), or empty without one.
std::filesystem::path task_cap_home();

// The caps left under task_cap_home() by graders that have ended: only a grader killed with
// SIGKILL leaves one, as no code of it runs after that signal.
std::vector<std::filesystem::path> task_caps_of_dead_graders();
// Removes those of them that nothing runs in any more; the first cap a grader makes does this,
// so a killed run's leftovers do not pile up.
void sweep_task_caps_of_dead_graders();

}  // namespace parlab::grader
