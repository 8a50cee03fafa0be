// Grader: watching a running process from outside, through /proc, so the program watched runs
// unchanged (nothing linked in, nothing to call). `grader trace` draws what this records.
//
// Every few milliseconds the sampler reads each thread of the watched process, and each process
// descended from it (found through /proc/<pid>/task/<tid>/children): its state (running,
// sleeping, waiting on disk), its command name, and the CPU time it has used so far. It stops
// when the process is gone, or is a zombie waiting to be reaped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace parlab::grader {

// The fields of one /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat line that the sampler uses.
struct StatLine {
  int id = 0;               // field 1: the pid or tid
  std::string comm;         // field 2 without its parentheses; may hold spaces and ')'
  char state = '?';         // field 3: R running or runnable, S sleeping, D uninterruptible
                            // (disk), Z zombie, T stopped, ...
  int parent = 0;           // field 4
  std::uint64_t utime = 0;  // field 14, in clock ticks
  std::uint64_t stime = 0;  // field 15, in clock ticks
};

// One stat line, or nothing when it is malformed. The command name runs to the LAST ')' of the
// line: a program may call itself "a) b (c", and no field after the name holds a ')'. Pure.
std::optional<StatLine> parse_stat_line(std::string_view line);

// How many live processes `root` and its descendants make now (0 once root is gone): the
// supervisor's evidence that a pool or an MPI launch ran more than one process at once.
unsigned count_process_tree(int root);

// What one thread, or one descendant process, looked like at one sample.
struct TaskReading {
  int pid = 0;             // the process
  int tid = 0;             // the thread; equal to pid for a process row
  bool process = false;    // a process descended from the watched one, its threads summed in one row
  std::string comm;        // its command name (the first thread's, for a process row), in
                           // printable ASCII: other bytes show as '?'
  char state = '?';        // a process row shows its busiest thread's: R before D before S
  double cpu_seconds = 0;  // user + system so far: from schedstat (nanoseconds) where the kernel
                           // keeps it, else from stat (10 ms ticks). Never decreases for a row.
};

struct Sample {
  double t_ms = 0;                         // since start(): about when the process was spawned
  std::vector<TaskReading> tasks;          // the watched process's threads, then its descendants
  std::optional<std::uint64_t> in_flight;  // the caller's count (requests at the fixture), if any
  std::optional<std::uint64_t> requests;   // the caller's running total (requests started), if any
};

struct SamplerOptions {
  std::chrono::microseconds interval{2'000};
  // Called once per sample, on the sampler's thread: a figure to record beside the readings
  // (the fixture server's requests in flight). Empty: none.
  std::function<std::uint64_t()> in_flight;
  std::function<std::uint64_t()> requests;  // likewise, a running total (requests started so far)
};

// Samples one process, and whatever it starts, on a thread of its own. start() and finish() are
// meant for one thread (the one that spawns the process); not copyable.
class ProcSampler {
 public:
  explicit ProcSampler(SamplerOptions options = {});
  ~ProcSampler();  // stops sampling, if it still runs
  ProcSampler(const ProcSampler&) = delete;
  ProcSampler& operator=(const ProcSampler&) = delete;

  // Starts sampling `pid` now (t = 0). Once only.
  void start(int pid);
  // Stops sampling if the process is still there, and returns every sample, in time order.
  std::vector<Sample> finish();

 private:
  SamplerOptions options_;
  std::vector<Sample> samples_;  // written by the sampling thread alone; read after its join
  std::jthread thread_;
};

}  // namespace parlab::grader
