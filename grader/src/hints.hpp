// Grader: hints, one at a time (`grader hint ID`), and the pointer from a failed grade to the
// hint that fits it.
//
// A manifest lists its hints from a gentle nudge to the specific trick, each tagged with the
// failures it helps with (manifest.hpp, Hint). A failed part is read as one of those failures:
//   wrong   tests, hidden tests or the differential check failed
//   hang    a test timed out (a deadlock, a lost wake-up)
//   race    ThreadSanitizer reported a race
//   serial  the timed run kept about one core busy, or one request in flight: nothing overlapped
//   slow    correct, and parallel, but under the bar
#pragma once

#include <optional>
#include <string>

#include "manifest.hpp"
#include "report.hpp"
#include "tree_build.hpp"

namespace parlab::grader {

struct Failure {
  std::string part;    // the part that failed: "tests", "races", "speedup", ...
  std::string signal;  // wrong, hang, race, serial or slow
};

// The first failure of a graded exercise that a hint could help with; none when it passed or
// when only its build failed (the compiler's message is the help there).
std::optional<Failure> failure_of(const ExerciseResult& result);

// 1-based number of the first hint tagged for `signal`; serial and slow stand in for each other.
std::optional<std::size_t> hint_for(const Exercise& exercise, const std::string& signal);

// Adds "see hint N" to the reason of the failed part that a hint fits, and the number to its
// details (JSON "hint"), so the student knows which hint to read (`make hint EX=...`); for a
// failed speedup also `make trace`, which draws the run.
void point_at_help(ExerciseResult& result, const Exercise& exercise);

struct HintOptions {
  Kit kit;
  std::string id;
  bool all = false;    // every hint seen so far, again
  bool reset = false;  // forget how many were seen
};

// Prints the next hint (or, with `all`, the ones seen so far) and remembers the count.
int show_hints(const HintOptions& options);

// `text` wrapped at `width` columns, each line after the first indented by `indent` spaces.
std::string wrap(const std::string& text, std::size_t width, std::size_t indent);

}  // namespace parlab::grader
