// Grader: the picture `grader trace` draws from its samples, and the figures it states. One row
// per thread of the bench process and per process it started, time across, CPU-busy spans dark
// over a thin bar for each lifetime, and the fixture's requests in flight beneath, so a learner
// sees idle workers, a serial tail or a lock convoy at a glance. Pure: samples in, text out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "proc_sampler.hpp"

namespace parlab::grader {

// One row of the timeline: a thread of the bench process, or a process descended from it.
struct TraceRow {
  std::string label;  // "main", "thread 2" ..., or a command name: "worker 4711"
  std::string comm;   // the last command name seen
  int pid = 0, tid = 0;
  bool process = false;
  double first_ms = 0, last_ms = 0;  // the first and the last sample that saw it alive
  // One slice per sample interval it was seen at the end of: what it did in that interval.
  struct Slice {
    double from_ms = 0, to_ms = 0;
    double busy = 0;   // CPU time over the interval's length, 0..1 (a process row's is capped at 1)
    char state = '?';  // as sampled at the slice's end
  };
  std::vector<Slice> slices;
};

// The rows, in order of first appearance; the bench process's first thread is "main".
std::vector<TraceRow> trace_rows(const std::vector<Sample>& samples);

// The figures a trace states, from its samples alone.
struct TraceFigures {
  double wall_ms = 0;                           // the last sample's time: about the bench process's life
  double cpu_seconds = 0;                       // every row's CPU time, summed
  double cores_busy = 0;                        // CPU time over wall time
  double cores_busy_together = 0;               // the same over the intervals when a row besides main was alive
  double ready_together = 0;                    // rows running or ready to run (R), on average over those intervals:
                                                // above the cores busy, threads waited for a core, not for a lock
  unsigned threads_seen = 0;                    // threads of the bench process, main included
  unsigned processes_seen = 0;                  // processes it started, and theirs
  unsigned peak_alive = 0;                      // rows alive at one sample
  unsigned peak_others = 0;                     // rows other than main alive at one sample: workers at once
  unsigned peak_running = 0;                    // rows running or ready to run (state R) at one sample
  std::optional<std::uint64_t> peak_in_flight;  // the most requests in flight at one sample
};

TraceFigures trace_figures(const std::vector<Sample>& samples);

// One sentence that reads the picture for a learner: "8 threads overlapped beside main; up to 8
// requests were in flight at once." `peak_in_flight` is the fixture's own exact peak, when there
// is a fixture (a sample can miss a short peak).
std::string trace_reading(const TraceFigures& figures, std::optional<std::uint64_t> peak_in_flight);

// What the header says about the run.
struct TraceInfo {
  std::string id, title, tree, variant;
  std::size_t size = 0;
  std::string unit = "item";  // what one unit of size is
  unsigned workers = 0;
  std::optional<std::uint64_t> peak_in_flight;  // the fixture's count; set: the in-flight chart is drawn
  std::string reading;                          // trace_reading's sentence
};

// The timeline as a standalone SVG document.
std::string trace_svg(const TraceInfo& info, const std::vector<Sample>& samples);

}  // namespace parlab::grader
