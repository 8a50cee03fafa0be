// Harness: schedule noise, for the grader's second run of the hidden tests.
//
// A race that a quiet run hides usually needs one thread to lose the core at the wrong moment:
// between reading a shared index and writing it back, between checking a flag and acting on it.
// With PARLAB_SCHEDULE_NOISE=<seed> in its environment, a test binary's
// allocations (a std::thread, a std::function, a string, a vector growing: where concurrent code
// does its bookkeeping) sometimes step off the core for tens of microseconds, at draws
// made from the seed. ThreadSanitizer finds data races; this finds the races it cannot see,
// such as a check-then-act on atomics. Without the variable nothing changes.
#pragma once

namespace parlab::testing {

// Called by the test main before anything else, while the process has one thread: reads the
// variable and turns the noise on. Says so on stderr. The process keeps every core: pinning it
// to one would also pin the worker processes it starts, and change what a test observes.
void start_schedule_noise_from_environment();

}  // namespace parlab::testing
