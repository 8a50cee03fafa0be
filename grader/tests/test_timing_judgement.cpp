// Test: the speedup verdict's logic on simulated samples: bars scaled to calibration, a pass
// that needs evidence of parallelism, and noise that never fails good code nor passes bad.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "calibration.hpp"
#include "fingerprint.hpp"
#include "timing.hpp"

namespace fs = std::filesystem;
using namespace parlab::grader;

namespace {

TimingPlan cpu_plan() {
  TimingPlan plan;
  plan.size = 1000;
  plan.bar = {.model = "cpu", .efficiency = 0.5};
  return plan;
}

TimingPlan io_plan() {
  TimingPlan plan;
  plan.size = 40;
  plan.workers = 8;
  plan.bar = {.model = "io", .efficiency = 0.5};
  return plan;
}

// `rounds` interleaved pairs: the baseline near `baseline_s`, the student `speedup` times
// faster, both with relative noise `noise`; the student kept `busy` cores busy while others
// kept `elsewhere` busy.
TimingSamples simulated(std::mt19937_64& rng, int rounds, double baseline_s, double speedup, double noise, double busy,
                        double elsewhere, Observed peaks) {
  std::normal_distribution<double> jitter(1.0, noise);
  TimingSamples s;
  for (int i = 0; i < rounds; ++i) {
    s.baseline.push_back(baseline_s * std::max(0.3, jitter(rng)));
    s.student.push_back(baseline_s / speedup * std::max(0.3, jitter(rng)));
    s.cores_busy.push_back(busy);
    s.busy_elsewhere.push_back(elsewhere);
  }
  s.peaks = peaks;
  return s;
}

}  // namespace

TEST(TimingBar, CpuBarScalesToWhatCalibrationFound) {
  const Requirement perfect = required_speedup(cpu_plan(), 2);
  EXPECT_DOUBLE_EQ(perfect.speedup, 1.5);
  const Requirement real = required_speedup(cpu_plan(), 2, Capacity{.cpu_efficiency = 0.9});
  EXPECT_DOUBLE_EQ(real.ideal, 2.0);
  EXPECT_DOUBLE_EQ(real.achievable, 1.8);
  EXPECT_DOUBLE_EQ(real.speedup, 1.4) << "half of the 0.8x above 1 that the machine delivers";
  EXPECT_TRUE(real.unmeasurable.empty());
  EXPECT_NE(real.basis.find("calibrated 1.80 cores allow 1.80x of 2x"), std::string::npos) << real.basis;
  EXPECT_DOUBLE_EQ(required_speedup(cpu_plan(), 2, Capacity{.cpu_efficiency = 1.3}).achievable, 2.0)
      << "a lucky calibration never lifts the bar above the ideal";
}

TEST(TimingBar, FixedStartUpIsAmdahlsSerialPart) {
  // 4.3: mpirun's launch, 0.5 s of a 4.5 s baseline, is paid whatever the ranks.
  const Requirement r = required_speedup(cpu_plan(), 2, Capacity{.baseline_s = 4.5, .fixed_s = 0.5});
  EXPECT_NEAR(r.achievable, 4.5 / (0.5 + 4.0 / 2), 1e-12);
  EXPECT_NEAR(r.speedup, 1 + 0.5 * (r.achievable - 1), 1e-12);
  EXPECT_NE(r.basis.find("0.500 s of fixed start-up"), std::string::npos) << r.basis;
  const Requirement tiny = required_speedup(cpu_plan(), 2, Capacity{.baseline_s = 4.5, .fixed_s = 0.002});
  EXPECT_EQ(tiny.basis.find("start-up"), std::string::npos)
      << "a start-up under 1% is not worth a word: " << tiny.basis;
}

TEST(TimingBar, ACalibrationWithoutParallelismMakesTheMachineUnmeasurable) {
  const Requirement busy = required_speedup(cpu_plan(), 2, Capacity{.cpu_efficiency = 0.55});
  EXPECT_NE(busy.unmeasurable.find("other programs hold the cores"), std::string::npos) << busy.unmeasurable;
}

TEST(TimingBar, IoFloorSplitsTheBaselineIntoWaitingAndCpu) {
  // 1 s of baseline, 0.1 s of it CPU: 40 waits of 22.5 ms in 5 waves, the CPU over 2 cores.
  const Requirement r = required_speedup(io_plan(), 2, Capacity{.baseline_s = 1.0, .baseline_cpu_s = 0.1});
  EXPECT_NEAR(r.floor_s, 5 * 0.0225 + 0.05, 1e-12);
  EXPECT_NEAR(r.achievable, 1.0 / r.floor_s, 1e-12);
  EXPECT_NEAR(r.speedup, 0.5 * r.achievable, 1e-12);
  EXPECT_DOUBLE_EQ(r.ideal, 8.0);
  // A loopback round trip longer than the waits the baseline shows is the floor of each wait.
  const Requirement slow_loop =
      required_speedup(io_plan(), 2, Capacity{.round_trip_s = 0.05, .baseline_s = 1.0, .baseline_cpu_s = 0.1});
  EXPECT_NEAR(slow_loop.floor_s, 5 * 0.05 + 0.05, 1e-12);
  // Pure waiting: the floor is the waves alone and the ideal stands.
  const Requirement waiting = required_speedup(io_plan(), 2, Capacity{.baseline_s = 1.0, .baseline_cpu_s = 0});
  EXPECT_DOUBLE_EQ(waiting.achievable, 8.0);
}

TEST(TimingJudge, AQuietParallelRunPassesAndSaysWhy) {
  std::mt19937_64 rng(1);
  const Requirement bar = required_speedup(cpu_plan(), 2, Capacity{.cpu_efficiency = 0.97});
  const auto s = simulated(rng, 5, 1.0, 1.9, 0.02, 1.95, 0.05, {.threads = 3, .processes = 1});
  const TimingJudgement j = judge_timing(cpu_plan(), bar, s, 2, 0.3, 7);
  EXPECT_EQ(j.verdict, Verdict::pass) << j.reason;
  EXPECT_EQ(j.evidence, "1.95 cores busy, 3 threads, 1 process");
}

// Runs that lack the evidence of parallelism fail, and the reason names the missing figure.
struct Unparallel {
  const char* what;
  TimingPlan plan;
  double speedup, cores_busy;
  Observed peaks;
  const char* reason;
};

TEST(TimingJudge, RunsWithoutParallelismFailAndSayWhatIsMissing) {
  const Unparallel cases[] = {
      {"one core busy",
       cpu_plan(),
       1.0,
       1.02,
       {.threads = 1, .processes = 1},
       "1.02 cores busy: the work ran on one thread"},
      // Three times faster with one core busy: a cache or a skipped step, not parallelism.
      {"fast but serial", cpu_plan(), 3.0, 1.0, {.threads = 1, .processes = 1}, "1.00 cores busy"},
      {"a pool one at a time", cpu_plan(), 1.0, 1.0, {.threads = 1, .processes = 3}, "the processes ran one at a time"},
      {"one request in flight",
       io_plan(),
       1.0,
       0.1,
       {.threads = 1, .in_flight = 1, .processes = 1},
       "1 request in flight at a time"},
  };
  std::mt19937_64 rng(2);
  for (const Unparallel& c : cases) {
    const Requirement bar = required_speedup(c.plan, 2, Capacity{.cpu_efficiency = 0.97});
    auto s = simulated(rng, 5, 1.0, c.speedup, 0.02, c.cores_busy, 0.05, c.peaks);
    s.in_flight_counted = c.plan.bar.model == "io";
    const TimingJudgement j = judge_timing(c.plan, bar, s, 2, 0.3, 7);
    EXPECT_EQ(j.verdict, Verdict::fail) << c.what;
    EXPECT_NE(j.reason.find(c.reason), std::string::npos) << c.what << ": " << j.reason;
  }
}

TEST(TimingJudge, TwoRoundsProveARunSerialOnlyWhenItHadOneThreadInOneProcess) {
  std::mt19937_64 rng(3);
  auto one_thread = simulated(rng, 2, 1.0, 1.0, 0.02, 1.0, 0.05, {.threads = 1, .processes = 1});
  EXPECT_TRUE(surely_serial(cpu_plan(), one_thread));
  // Threads that took turns may yet show more cores busy in a later round: keep timing them.
  EXPECT_FALSE(surely_serial(cpu_plan(), simulated(rng, 2, 1.0, 1.0, 0.02, 1.0, 0.05, {.threads = 3, .processes = 1})));
  EXPECT_FALSE(surely_serial(cpu_plan(), simulated(rng, 2, 1.0, 1.9, 0.02, 1.9, 0.05, {.threads = 1, .processes = 1})))
      << "two cores busy is parallel, whatever the thread sampler saw";
  auto one_request = simulated(rng, 2, 1.0, 1.0, 0.02, 0.1, 0.05, {.threads = 1, .in_flight = 1, .processes = 1});
  one_request.in_flight_counted = true;
  EXPECT_TRUE(surely_serial(io_plan(), one_request));
  one_request.peaks.in_flight = 8;
  EXPECT_FALSE(surely_serial(io_plan(), one_request));
}

TEST(TimingJudge, NoiseAroundTheBarIsInconclusiveWithItsFigures) {
  // Parallel code measured on a jittery machine that nobody else seems to use.
  std::mt19937_64 rng(6);
  const Requirement bar = required_speedup(cpu_plan(), 2);
  TimingSamples s;
  s.baseline = {1.0, 1.5, 0.6, 1.2, 0.8};
  s.student = {0.7, 0.5, 1.0, 0.6, 0.75};
  s.cores_busy = {1.6, 1.7, 1.5, 1.6, 1.6};
  s.busy_elsewhere = {0.1, 0.1, 0.1, 0.1, 0.1};
  s.peaks = {.threads = 2, .processes = 1};
  const TimingJudgement j = judge_timing(cpu_plan(), bar, s, 2, 1.7, 7);
  EXPECT_EQ(j.verdict, Verdict::inconclusive);
  EXPECT_GT(j.variation, 0.2);
  EXPECT_NE(j.reason.find("coefficient of variation"), std::string::npos) << j.reason;
  EXPECT_NE(j.reason.find("load 1.70"), std::string::npos) << j.reason;
  EXPECT_NE(j.reason.find("plug a laptop in"), std::string::npos) << j.reason;
  EXPECT_TRUE(j.noise_could_explain) << "a calmer second set of rounds may decide";
}

// The done-when of the timing issue, on simulated samples: with another program burning one
// of two cores, a parallel solution is never failed, and sequential code is never passed.
TEST(TimingJudge, OneCoreBurnedElsewhereNeverFailsASolutionNorPassesAStarter) {
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> share(0.5, 0.8), gain(1.0, 1.7), busy(1.15, 1.7), other(0.6, 1.1);
  std::uniform_real_distribution<double> noise(0.02, 0.3);
  for (int trial = 0; trial < 500; ++trial) {
    // Calibration under the burner: two threads get between half and most of two cores.
    const Requirement bar = required_speedup(cpu_plan(), 2, Capacity{.cpu_efficiency = share(rng)});
    const double elsewhere = other(rng);
    const auto solution =
        simulated(rng, 5, 1.0, gain(rng), noise(rng), busy(rng), elsewhere, {.threads = 3, .processes = 1});
    const TimingJudgement good = judge_timing(cpu_plan(), bar, solution, 2, 2.5, trial);
    EXPECT_NE(good.verdict, Verdict::fail) << "trial " << trial << ": " << good.reason;

    const auto starter = simulated(rng, 5, 1.0, 1.0, noise(rng), 1.0, elsewhere, {.threads = 1, .processes = 1});
    const TimingJudgement bad = judge_timing(cpu_plan(), bar, starter, 2, 2.5, trial);
    EXPECT_EQ(bad.verdict, Verdict::fail) << "trial " << trial << ": one thread is serial on any machine";
  }
}

TEST(TimingJudge, AThreadedRunSlowedByOthersIsInconclusiveNotFailed) {
  // Threads that were there but got one core between them, while another program held the other.
  std::mt19937_64 rng(9);
  const Requirement bar = required_speedup(cpu_plan(), 2, Capacity{.cpu_efficiency = 0.6});
  const auto s = simulated(rng, 5, 1.0, 1.0, 0.05, 1.0, 1.0, {.threads = 3, .processes = 1});
  const TimingJudgement j = judge_timing(cpu_plan(), bar, s, 2, 2.0, 7);
  EXPECT_EQ(j.verdict, Verdict::inconclusive) << j.reason;
  EXPECT_NE(j.reason.find("busy with other programs"), std::string::npos) << j.reason;
  EXPECT_TRUE(j.noise_could_explain) << "the other program may have finished by a second measurement";
}

// Only a verdict that noise could have caused earns a second measurement: threads that fell
// short of the bar on a machine that looked quiet, or rounds too scattered to decide. Serial
// code and a run against the plan fail at once, and a pass needs no confirming.
TEST(TimingJudge, OnlyAVerdictThatNoiseCouldExplainIsMeasuredAgain) {
  std::mt19937_64 rng(10);
  const Requirement bar = required_speedup(cpu_plan(), 2, Capacity{.cpu_efficiency = 0.97});
  const auto short_threads = simulated(rng, 5, 1.0, 1.2, 0.01, 1.3, 0.05, {.threads = 3, .processes = 1});
  const TimingJudgement fell_short = judge_timing(cpu_plan(), bar, short_threads, 2, 0.3, 7);
  EXPECT_EQ(fell_short.verdict, Verdict::fail) << fell_short.reason;
  EXPECT_TRUE(fell_short.noise_could_explain);

  const auto serial = simulated(rng, 5, 1.0, 1.0, 0.01, 1.0, 0.05, {.threads = 1, .processes = 1});
  const TimingJudgement one_thread = judge_timing(cpu_plan(), bar, serial, 2, 0.3, 7);
  EXPECT_EQ(one_thread.verdict, Verdict::fail);
  EXPECT_FALSE(one_thread.noise_could_explain) << "one thread is serial whatever the noise";

  TimingPlan capped = cpu_plan();
  capped.evidence.max_threads = 2;
  const auto too_many = simulated(rng, 5, 1.0, 1.9, 0.01, 1.9, 0.05, {.threads = 9, .processes = 1});
  const TimingJudgement against_plan = judge_timing(capped, bar, too_many, 2, 0.3, 7);
  EXPECT_EQ(against_plan.verdict, Verdict::fail);
  EXPECT_FALSE(against_plan.noise_could_explain) << "nine threads are nine threads on any machine";

  const auto good = simulated(rng, 5, 1.0, 1.9, 0.01, 1.9, 0.05, {.threads = 3, .processes = 1});
  EXPECT_FALSE(judge_timing(cpu_plan(), bar, good, 2, 0.3, 7).noise_could_explain);
}

TEST(Calibration, MeasuresAParallelKernel) {
  const Calibration one = calibrate(1, 0);
  EXPECT_NEAR(one.cpu_speedup(), 1.0, 0.5) << "one thread against one thread";
  EXPECT_GT(one.one_thread_s, 0.0);
  EXPECT_EQ(one.round_trip_s, 0.0) << "no fixture, no round trip";
  const Calibration two = calibrate(2, 0);
  EXPECT_GT(two.cpu_speedup(), 0.0);
  EXPECT_LE(two.cpu_efficiency(), 1.0);
  EXPECT_EQ(to_json(two)["threads"], 2);
}

TEST(Fingerprint, RefusesToTimeSanitizedOrUnoptimisedBuilds) {
  EXPECT_EQ(untimeable_reason({"debugoptimized", "2", "none", true}), "");
  EXPECT_EQ(untimeable_reason({"release", "3", "none", true}), "");
  EXPECT_NE(untimeable_reason({"debugoptimized", "2", "thread", true}).find("-fsanitize=thread"), std::string::npos);
  EXPECT_NE(untimeable_reason({"debug", "0", "none", true}).find("unoptimised"), std::string::npos);
  EXPECT_NE(untimeable_reason({"plain", "plain", "none", true}).find("unoptimised"), std::string::npos);
  EXPECT_EQ(untimeable_reason({}), "") << "flags unknown: nothing to object to";
}

TEST(Fingerprint, ReadsMesonsIntrospection) {
  const fs::path dir = fs::temp_directory_path() / ("parlab-fingerprint-" + std::to_string(::getpid()));
  fs::create_directories(dir / "meson-info");
  std::ofstream(dir / "meson-info" / "intro-buildoptions.json")
      << R"([{"name": "buildtype", "value": "debug"}, {"name": "optimization", "value": "0"},
            {"name": "b_sanitize", "value": "none"}, {"name": "werror", "value": false}])";
  const BuildFlags flags = read_build_flags(dir);
  EXPECT_TRUE(flags.known);
  EXPECT_EQ(flags.buildtype, "debug");
  EXPECT_EQ(flags.optimization, "0");
  EXPECT_FALSE(untimeable_reason(flags).empty());
  std::ofstream(dir / "meson-info" / "intro-buildoptions.json") << "not json {";
  EXPECT_FALSE(read_build_flags(dir).known) << "a broken file is unknown flags, not a crash";
  fs::remove_all(dir);

  const auto print = fingerprint(probe_machine(), flags);
  EXPECT_EQ(print["build"]["optimization"], "0");
  EXPECT_TRUE(print.contains("cpu") && print.contains("cores") && print.contains("load"));
}

TEST(TimingBar, AWorkloadThatKnowsItsWaitsSetsTheFloor) {
  // 4.1: 100 delays of 50 to 150 ms, all in flight at once: the floor is the longest delay,
  // not one wave of the average.
  TimingPlan plan = io_plan();
  plan.size = 100;
  plan.workers = 100;
  const Requirement average = required_speedup(plan, 2, Capacity{.baseline_s = 10.0, .baseline_cpu_s = 0.2});
  const Requirement known =
      required_speedup(plan, 2, Capacity{.baseline_s = 10.0, .baseline_cpu_s = 0.2, .wait_floor_s = 0.15});
  EXPECT_NEAR(average.floor_s, 0.098 + 0.1, 1e-12);
  EXPECT_NEAR(known.floor_s, 0.15 + 0.1, 1e-12);
  EXPECT_LT(known.achievable, average.achievable);
  EXPECT_NE(known.basis.find("the workload's own waits, 150.0 ms"), std::string::npos) << known.basis;
}

TEST(TimingBar, TheFixturesOwnWorkBoundsTheFloor) {
  // The server answers on one thread: however many downloads run at once, it needs its CPU
  // time in all. It streams while the client waits, so that bounds the floor, not adds to it.
  TimingPlan plan = io_plan();
  plan.size = 8;
  plan.workers = 8;
  const Requirement light =
      required_speedup(plan, 2, Capacity{.baseline_s = 8.0, .baseline_cpu_s = 0.0, .server_cpu_s = 0.4});
  EXPECT_NEAR(light.floor_s, (8.0 - 0.4) / 8, 1e-12) << "one wave of waiting outlasts the server's work";
  const Requirement heavy =
      required_speedup(plan, 2, Capacity{.baseline_s = 8.0, .baseline_cpu_s = 0.0, .server_cpu_s = 4.0});
  EXPECT_NEAR(heavy.floor_s, 4.0, 1e-12) << "the server's one thread is the bottleneck";
  EXPECT_NE(heavy.basis.find("the server's 4.000 s on its one thread"), std::string::npos) << heavy.basis;
}
