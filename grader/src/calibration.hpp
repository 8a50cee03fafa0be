// Grader: what this machine can deliver right now, measured just before an exercise is timed.
//
// A speedup bar written as a constant ("2 cores give 2x") fails good code on a laptop that
// throttles or a server someone else is using. So before timing, the grader runs a kernel that
// is parallel by construction (independent arithmetic, no memory traffic, no sharing) on one
// thread and on `threads` threads: the ratio is the best any code could do here and now. For
// network exercises it also times round trips to the fixture over loopback, the least one
// request can cost. The bars scale to these figures (timing.hpp).
#pragma once

#include <nlohmann/json.hpp>

namespace parlab::grader {

struct Calibration {
  unsigned threads = 1;      // the kernel's parallel run used this many threads
  double one_thread_s = 0;   // median: one thread doing all `threads` shares of the work
  double all_threads_s = 0;  // median: `threads` threads doing one share each, at once
  double best_speedup = 0;   // the best round's one-thread time over its all-threads time
  double round_trip_s = 0;   // median loopback request to the fixture; 0 when not measured

  // best_speedup: the parallel speedup this machine delivered. The best round, not a median:
  // noise only ever slows a round down, so the best is the closest to what the machine can do.
  double cpu_speedup() const;
  // cpu_speedup() / threads, at most 1: the fraction of its cores the machine really gives.
  double cpu_efficiency() const;
};

// Runs the kernel in 5 interleaved rounds (about 0.06 s each on a 2-core laptop); when
// `fixture_port` is not 0, also times 30 requests to http://127.0.0.1:<port>/health/ok on
// one kept-alive connection. Never throws for a fixture that does not answer: round_trip_s
// stays 0.
Calibration calibrate(unsigned threads, unsigned short fixture_port);

nlohmann::json to_json(const Calibration& calibration);

}  // namespace parlab::grader
