// Grader: exercise.json, the one description of an exercise the grader reads.
//
// Adding an exercise touches no grader code: the grader finds every exercises/*/*/exercise.json
// in the kit, and everything it does to an exercise follows from that file.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parlab::grader {

struct Points {
  int tests = 0;    // public tests, in proportion to the tests passed
  int hidden = 0;   // hidden tests, likewise
  int races = 0;    // all or nothing: a clean ThreadSanitizer run
  int speedup = 0;  // all or nothing: a correct answer and the bar met
  int total() const { return tests + hidden + races + speedup; }
};

// How the required speedup follows from the machine.
//   cpu:   1 + efficiency * (min(cores, workers) - 1); skipped on a 1-core machine.
//   io:    efficiency * size / ceil(size / workers), the ideal overlap of waiting times.
//   fixed: `speedup`, whatever the machine: for work whose gain is not parallelism (2.1's
//          handoff latency: a wakeup instead of a poll), so no ideal follows from cores.
struct Bar {
  std::string model;  // "cpu", "io" or "fixed"
  double efficiency = 0.5;
  double at_most = 0;  // 0: no cap
  double speedup = 0;  // the bar of a fixed model
};

// What the student's timed runs must show besides the time, so that a fast run that skipped
// the point of the exercise does not pass (2.4: one thread, and the cap reached exactly;
// 5.2: downloads streamed to disk, so memory stays small).
struct Evidence {
  unsigned max_threads = 0;     // the student's bench process may never have more; 0: unchecked
  unsigned peak_in_flight = 0;  // the fixture's peak of requests in flight must equal it; 0: unchecked
  unsigned max_rss_mb = 0;      // the student's bench process's peak resident memory must stay
                                // under it (5.2: bodies go to disk, not to memory); 0: unchecked
};

struct TimingPlan {
  std::size_t size = 0;
  unsigned workers = 0;  // 0: as many as the machine's usable cores
  unsigned rounds = 5;   // interleaved pairs, after one warm-up pair
  Bar bar;
  Evidence evidence;
  std::string unit = "item";  // what one unit of size is, for per-unit figures ("round trip")
  // Workloads of one exercise that are timed and compared each on its own, all of which must
  // pass: 3.1's strategies, 5.1's tiny and heavy tasks. Empty: the one default workload.
  std::vector<std::string> variants;
  // A variant timed on more items than `size`: one whose fixed costs (3.1's process starts)
  // would otherwise hide its waits. Absent: `size`.
  std::map<std::string, std::size_t> variant_sizes;

  // This plan as `variant` is timed: its own size, if it has one.
  TimingPlan of_variant(const std::string& variant) const {
    TimingPlan plan = *this;
    if (const auto own = variant_sizes.find(variant); own != variant_sizes.end()) plan.size = own->second;
    return plan;
  }
};

// One step of help, from a gentle nudge to the specific trick (`grader hint`). `when` names
// the failures it helps with, so a failed grade can point at it: wrong, hang, race, slow, serial.
struct Hint {
  std::string text;
  std::vector<std::string> when;
};

// A Python timing of this exercise's workload from the seed lectures (or of the seeds' code,
// measured for the notes), which `make bench` prints beside ours. Its size is usually not ours:
// `workload` says what was timed. A time of 0 is "not given".
struct PythonFigure {
  double sequential_s = 0;
  double parallel_s = 0;
  std::string how;       // "threads", "processes", "asyncio"
  std::string workload;  // what was timed, against ours
  std::string origin;    // "seed": printed by the seed lecture; "measured here": its code, run for the notes
};

struct Exercise {
  std::string id;     // "1.1"
  std::string title;  // "download_sites", also the file stem
  int lecture = 0;
  std::string kind;  // cpu, io, mixed, sync
  std::vector<std::string> student_files;
  Points points;
  std::chrono::seconds timeout{30};  // per test
  std::uint64_t memory_mb = 2048;
  TimingPlan timing;
  std::vector<std::size_t> differential_sizes;  // empty: derived from the timing plan
  std::vector<Hint> hints;                      // in the order a learner should see them
  std::optional<PythonFigure> python;           // none when the seeds time nothing like it

  std::filesystem::path dir;                                              // the exercise folder, relative to exercises/
  std::string target_alias() const;                                       // the meson alias that builds it: "ex_1_1"
  std::string lecture_dir() const;                                        // "l01_threads_and_processes"
  bool needs_fixture() const { return kind == "io" || kind == "mixed"; }  // talks to the fixture server
};

// Reads and checks one manifest. Throws std::runtime_error naming the file and the field.
Exercise load_manifest(const std::filesystem::path& manifest_path, const std::filesystem::path& exercises_root);

// The checks of load_manifest on a manifest's text, which names `manifest_path` in every
// complaint; `dir` is left empty. Throws std::runtime_error naming the file and the field, and
// nothing else, whatever the text (grader/fuzz checks this).
Exercise parse_manifest_text(std::string_view text, const std::filesystem::path& manifest_path);

// Every manifest under exercises_root, sorted by id ("1.2" before "1.10").
std::vector<Exercise> load_all_manifests(const std::filesystem::path& exercises_root);

// The exercise named `id` among `all`; throws std::runtime_error naming `grader list` if none.
const Exercise& find_exercise(const std::vector<Exercise>& all, const std::string& id);

}  // namespace parlab::grader
