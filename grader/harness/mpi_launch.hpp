// Harness: start an MPI program under mpirun (Open MPI) from a test or a bench adapter, wait for
// it with a timeout, and get back its exit status and output.
//
//   parlab::MpiLaunch launch{.program = PARLAB_PROGRAM_MPI_COUNTS, .args = {"--size", "100"}, .ranks = 2};
//   const std::string json_line = parlab::mpi_launch_stdout(launch);  // throws unless it exited 0
//
// runs `mpirun -np 2 [--allow-run-as-root] [--oversubscribe] --mca mpi_yield_when_idle 1
// --bind-to none <program> <args...>`.
// The switches follow from the machine, so the same call works for a student and under the grader:
// --allow-run-as-root only when this process runs as root (mpirun refuses root otherwise),
// --oversubscribe only when there are more ranks than cores Open MPI counts (it refuses to start
// more ranks than slots otherwise), and --bind-to none always (pinning each rank to a core would
// make two runs at once share cores, and a noisy machine worse). mpi_yield_when_idle always: a
// rank that waits for the others in a collective yields its core rather than spinning on it,
// which on a busy machine would starve the very rank it waits for.
//
// What it guarantees, and why (see ../../../shared/STACK.md for the facts about Open MPI and
// Boost.Process 1.74 behind each point):
// - mpirun runs in the caller's process group, so whoever stops the caller's group (the grader,
//   Ctrl-C in a terminal) stops mpirun too. mpirun puts every rank in a process group of its own:
//   only mpirun can stop them all and remove their shared-memory segments
//   (/dev/shm/vader_segment.*), and it does that when it gets SIGTERM, not SIGKILL.
// - On timeout it sends mpirun SIGTERM, waits a grace period for it to stop its ranks and clean
//   up, and only then SIGKILLs mpirun. Whatever mpirun left (Open MPI 4.1.4's mpirun sometimes
//   crashes or stalls while it stops a hung job of 5 or more ranks) is removed afterwards: ranks
//   still running are killed, and the shared-memory files they had mapped are unlinked. Nothing of
//   the job is left.
// - mpirun's session files go into a private temporary folder (`--mca orte_tmpdir_base`, which
//   mpirun passes on to the ranks as OMPI_MCA_orte_tmpdir_base), removed afterwards with the stdout
//   and stderr files: two launches, from two threads or two test binaries, never share a folder.
// - stdout and stderr go to files, not pipes, so a program that prints a lot never blocks, and
//   stdin is /dev/null.
// Boost.Process is only used to start mpirun, in mpi_launch.cpp; waiting uses pidfd_open, poll and
// waitpid.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace parlab {

// One run of an MPI program.
struct MpiLaunch {
  std::string program;                          // absolute path of the program every rank runs
  std::vector<std::string> args;                // its arguments (each rank gets the same)
  unsigned ranks = 1;                           // mpirun -np; at least 1
  std::chrono::milliseconds timeout{30'000};    // from start to exit, start-up included
  std::chrono::milliseconds term_grace{5'000};  // after SIGTERM on timeout, before SIGKILL
};

// How one run ended, and what it printed.
struct MpiOutcome {
  bool signaled = false;  // mpirun was killed by a signal (then `signal` says which)
  int code = 0;           // mpirun's exit code: 0, or the first failing rank's code (or 1 when it
                          // reports an aborted or crashed rank itself)
  int signal = 0;
  std::string out;       // everything the ranks wrote on stdout (up to 16 MiB)
  std::string err_tail;  // the last 4 KiB of stderr: mpirun's own messages and the ranks'
  double seconds = 0;    // wall time from start to exit, mpirun's start-up included

  bool success() const noexcept { return !signaled && code == 0; }
  // "exited with code 2", "was killed by signal 9 (Killed)".
  std::string describe() const;
};

// Thrown when mpirun cannot be found or started, or does not finish in time (timed_out()), or, by
// mpi_launch_stdout(), when it fails.
class MpiLaunchError : public std::runtime_error {
 public:
  explicit MpiLaunchError(const std::string& what, bool timed_out = false)
      : std::runtime_error(what), timed_out_(timed_out) {}
  bool timed_out() const noexcept { return timed_out_; }

 private:
  bool timed_out_;
};

// The cores Open MPI counts as slots on this machine: distinct physical cores among the CPUs this
// process may run on (hardware threads of one core count once, as Open MPI counts them).
// At least 1. Thread-safe.
unsigned mpi_slot_count();

// The command line mpi_launch() runs: "mpirun", "-np", "<ranks>", the switches described above,
// the program and its arguments (mpi_launch adds `--mca orte_tmpdir_base <its folder>` after
// "<ranks>"). Pure; throws std::invalid_argument when ranks is 0 or the program
// path is not absolute. Thread-safe.
std::vector<std::string> mpirun_command(const MpiLaunch& launch);

// Runs mpirun_command(launch) and waits for it, at most launch.timeout. Returns how mpirun ended
// and what it printed, whatever its exit code: a run that fails is a result, not an error.
// Blocks for the whole run. Throws MpiLaunchError when mpirun is not installed or cannot start, or
// when the timeout passes (after stopping mpirun and its ranks as described above; the message
// says how many ranks were running then, and quotes stderr's tail); std::invalid_argument as
// mpirun_command does. Thread-safe: concurrent launches share nothing. Flushes this process's
// stdout first, so nothing buffered prints twice.
MpiOutcome mpi_launch(const MpiLaunch& launch);

// mpi_launch(), then the program's stdout when it succeeded. Throws MpiLaunchError otherwise,
// naming the command, how it ended and quoting the tail of its stderr.
std::string mpi_launch_stdout(const MpiLaunch& launch);

}  // namespace parlab
