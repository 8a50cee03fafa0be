// Test: the grader's pure parts: manifests, statistics, bars, reports, excerpts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "bench_checks.hpp"
#include "manifest.hpp"
#include "report.hpp"
#include "scale.hpp"
#include "speedup_plot.hpp"
#include "stack_report.hpp"
#include "test_runner.hpp"
#include "timing.hpp"
#include "tree_build.hpp"

namespace fs = std::filesystem;
using namespace parlab::grader;

namespace {

const char* kValidManifest = R"({
  "id": "1.1", "title": "download_sites", "lecture": 1, "kind": "io",
  "student_files": ["download_sites.cpp"],
  "points": {"tests": 3, "hidden": 3, "races": 2, "speedup": 2},
  "timeout_seconds": 30,
  "timing": {"size": 40, "workers": 8, "rounds": 5, "bar": {"model": "io", "efficiency": 0.5}}
})";

// A throwaway exercises/ tree holding one manifest.
class ManifestTest : public ::testing::Test {
 protected:
  fs::path root = fs::temp_directory_path() / ("parlab-manifest-test-" + std::to_string(::getpid()));
  fs::path file = root / "l01_x" / "e1_y" / "exercise.json";
  void SetUp() override { fs::create_directories(file.parent_path()); }
  void TearDown() override { fs::remove_all(root); }
  void write(const std::string& text) { std::ofstream(file, std::ios::trunc) << text; }
  std::string error_of(const std::string& text) {
    write(text);
    try {
      load_manifest(file, root);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }
};

}  // namespace

TEST_F(ManifestTest, ReadsEveryField) {
  write(kValidManifest);
  const Exercise ex = load_manifest(file, root);
  EXPECT_EQ(ex.id, "1.1");
  EXPECT_EQ(ex.title, "download_sites");
  EXPECT_EQ(ex.kind, "io");
  EXPECT_EQ(ex.student_files, std::vector<std::string>{"download_sites.cpp"});
  EXPECT_EQ(ex.points.total(), 10);
  EXPECT_EQ(ex.timeout, std::chrono::seconds(30));
  EXPECT_EQ(ex.timing.size, 40u);
  EXPECT_EQ(ex.timing.workers, 8u);
  EXPECT_EQ(ex.timing.bar.model, "io");
  EXPECT_EQ(ex.dir, fs::path("l01_x/e1_y"));
  EXPECT_EQ(ex.target_alias(), "ex_1_1");
}

TEST_F(ManifestTest, ReadsAFixedBarAndEvidence) {
  write(R"({"id": "2.4", "title": "t", "lecture": 2, "kind": "io", "student_files": ["t.cpp"],
            "points": {"tests": 1, "hidden": 1, "races": 1, "speedup": 1},
            "timing": {"size": 40, "workers": 8, "unit": "page", "bar": {"model": "fixed", "speedup": 3},
                       "evidence": {"max_threads": 1, "peak_in_flight": 8}}})");
  const Exercise ex = load_manifest(file, root);
  EXPECT_EQ(ex.timing.bar.model, "fixed");
  EXPECT_DOUBLE_EQ(ex.timing.bar.speedup, 3.0);
  EXPECT_EQ(ex.timing.unit, "page");
  EXPECT_EQ(ex.timing.evidence.max_threads, 1u);
  EXPECT_EQ(ex.timing.evidence.peak_in_flight, 8u);
  EXPECT_TRUE(ex.timing.variants.empty()) << "no variants: the one default workload";
  EXPECT_NE(error_of(R"({"id": "2.1", "title": "t", "lecture": 2, "kind": "sync", "student_files": ["t.cpp"],
            "points": {"tests": 1, "hidden": 1, "races": 1, "speedup": 1},
            "timing": {"size": 4, "bar": {"model": "fixed", "speedup": 0.5}}})")
                .find("must be above 1"),
            std::string::npos);
}

TEST_F(ManifestTest, ReadsVariantsAndRejectsOddNames) {
  std::string text = kValidManifest;
  text.replace(text.find("\"rounds\""), 8, "\"variants\": [\"threads\", \"processes\"], \"rounds\"");
  write(text);
  EXPECT_EQ(load_manifest(file, root).timing.variants, (std::vector<std::string>{"threads", "processes"}));
  std::string odd = kValidManifest;
  odd.replace(odd.find("\"rounds\""), 8, "\"variants\": [\"two words\"], \"rounds\"");
  EXPECT_NE(error_of(odd).find("timing.variants"), std::string::npos);
}

TEST_F(ManifestTest, ReadsAVariantsOwnSizeAndRejectsOneItDoesNotHave) {
  const auto with = [](const std::string& sizes) {
    std::string text = kValidManifest;
    text.replace(text.find("\"rounds\""), 8,
                 "\"variants\": [\"threads\", \"processes\"], \"variant_sizes\": " + sizes + ", \"rounds\"");
    return text;
  };
  write(with(R"({"processes": 120})"));
  const TimingPlan plan = load_manifest(file, root).timing;
  EXPECT_EQ(plan.of_variant("processes").size, 120u);
  EXPECT_EQ(plan.of_variant("threads").size, 40u) << "a variant without its own size keeps timing.size";
  EXPECT_EQ(plan.of_variant("").size, 40u);
  EXPECT_NE(error_of(with(R"({"queue": 120})")).find("names \"queue\""), std::string::npos);
  EXPECT_NE(error_of(with(R"({"processes": 0})")).find("above 0"), std::string::npos);
  EXPECT_NE(error_of(with(R"({"processes": -3})")).find("whole number"), std::string::npos);
  EXPECT_NE(error_of(with(R"([120])")).find("wrong type"), std::string::npos);
}

TEST_F(ManifestTest, NamesTheFileAndFieldOfEveryMistake) {
  EXPECT_NE(error_of("{ not json").find("is not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("[]").find("must hold a JSON object"), std::string::npos);
  std::string no_points = kValidManifest;
  no_points.replace(no_points.find("\"points\""), 8, "\"pts\"");
  EXPECT_NE(error_of(no_points).find("missing \"points\""), std::string::npos);
  std::string bad_id = kValidManifest;
  bad_id.replace(bad_id.find("\"1.1\""), 5, "\"one\"");
  EXPECT_NE(error_of(bad_id).find("\"id\" must look like"), std::string::npos);
  std::string bad_kind = kValidManifest;
  bad_kind.replace(bad_kind.find("\"io\""), 4, "\"gpu\"");
  EXPECT_NE(error_of(bad_kind).find("\"kind\""), std::string::npos);
  std::string escaping = kValidManifest;
  escaping.replace(escaping.find("download_sites.cpp"), 18, "../grader/x.cpp");
  EXPECT_NE(error_of(escaping).find("plain file name"), std::string::npos);
  std::string wrong_type = kValidManifest;
  wrong_type.replace(wrong_type.find("\"size\": 40"), 10, "\"size\": \"big\"");
  EXPECT_NE(error_of(wrong_type).find("\"timing.size\" has the wrong type"), std::string::npos);
  EXPECT_NE(error_of("{}").find(file.string()), std::string::npos);
}

TEST_F(ManifestTest, FindsAllAndRejectsDuplicateIds) {
  write(kValidManifest);
  EXPECT_EQ(load_all_manifests(root).size(), 1u);
  fs::create_directories(root / "l01_x" / "e2_z");
  std::ofstream(root / "l01_x" / "e2_z" / "exercise.json") << kValidManifest;
  EXPECT_THROW(load_all_manifests(root), std::runtime_error);
}

TEST(Timing, Median) {
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_THROW(median({}), std::invalid_argument);
}

TEST(Timing, IntervalOfEqualSamplesIsAPoint) {
  const auto e = estimate_speedup({2, 2, 2, 2, 2}, {1, 1, 1, 1, 1}, 7);
  EXPECT_DOUBLE_EQ(e.ratio, 2);
  EXPECT_DOUBLE_EQ(e.low, 2);
  EXPECT_DOUBLE_EQ(e.high, 2);
}

TEST(Timing, IntervalContainsTheRatioAndWidensWithNoise) {
  const auto quiet = estimate_speedup({1.0, 1.01, 0.99, 1.0, 1.02}, {0.5, 0.51, 0.5, 0.49, 0.5}, 7);
  const auto noisy = estimate_speedup({1.0, 1.6, 0.7, 1.0, 1.3}, {0.5, 0.9, 0.3, 0.5, 0.7}, 7);
  EXPECT_LE(quiet.low, quiet.ratio);
  EXPECT_GE(quiet.high, quiet.ratio);
  EXPECT_GT(noisy.high - noisy.low, quiet.high - quiet.low);
}

TEST(Timing, AMachineThatDriftsSlowsBothSidesOfARoundAlike) {
  // A host 40% slower for the second half of the rounds (4.3 measured such sets): every round
  // still says 1.6x, and the interval says so too. Resampling each side on its own would
  // have spread it from about 1.1x to 2.3x.
  const std::vector<double> baseline = {2.4, 2.4, 2.4, 3.4, 3.4, 3.4};
  const std::vector<double> student = {1.5, 1.5, 1.5, 2.125, 2.125, 2.125};
  const auto e = estimate_speedup(baseline, student, 7);
  EXPECT_NEAR(e.ratio, 1.6, 1e-9);
  EXPECT_NEAR(e.low, 1.6, 1e-9);
  EXPECT_NEAR(e.high, 1.6, 1e-9);
  EXPECT_THROW(estimate_speedup({1, 2}, {1}, 7), std::invalid_argument) << "rounds come in pairs";
  EXPECT_THROW(round_speedups({}, {}), std::invalid_argument);
}

TEST(Timing, Decisions) {
  EXPECT_EQ(decide({2.0, 1.8, 2.2}, 1.5), TimingDecision::pass);
  EXPECT_EQ(decide({1.1, 1.0, 1.2}, 1.5), TimingDecision::fail);
  EXPECT_EQ(decide({1.5, 1.3, 1.7}, 1.5), TimingDecision::need_more_rounds);
}

TEST(Timing, IoBarFollowsWorkersAndWaves) {
  TimingPlan plan;
  plan.size = 40;
  plan.workers = 8;
  plan.bar = {.model = "io", .efficiency = 0.5};
  EXPECT_DOUBLE_EQ(required_speedup(plan, 2).speedup, 4.0);  // cores do not matter for waiting
  EXPECT_DOUBLE_EQ(required_speedup(plan, 2).ideal, 8.0);
  plan.size = 41;  // 6 waves of at most 8
  EXPECT_NEAR(required_speedup(plan, 2).speedup, 0.5 * 41 / 6, 1e-9);
  plan.bar.at_most = 3;
  EXPECT_DOUBLE_EQ(required_speedup(plan, 2).speedup, 3.0);
}

TEST(Timing, CpuBarFollowsCores) {
  TimingPlan plan;
  plan.size = 1000;
  plan.bar = {.model = "cpu", .efficiency = 0.5};
  EXPECT_DOUBLE_EQ(required_speedup(plan, 2).speedup, 1.5);
  EXPECT_DOUBLE_EQ(required_speedup(plan, 2).ideal, 2.0);
  EXPECT_EQ(required_speedup(plan, 2).workers, 2u);
  EXPECT_DOUBLE_EQ(required_speedup(plan, 8).speedup, 4.5);
  EXPECT_FALSE(required_speedup(plan, 1).skipped.empty()) << "a 1-core machine cannot show a CPU speedup";
  plan.workers = 4;
  EXPECT_DOUBLE_EQ(required_speedup(plan, 2).speedup, 1.5) << "workers beyond the cores buy nothing";
}

TEST(Timing, FixedBarIgnoresTheMachine) {
  TimingPlan plan;
  plan.size = 20000;
  plan.workers = 2;
  plan.bar = {.model = "fixed", .speedup = 4.0};
  for (unsigned cores : {1u, 2u, 64u}) {
    const Requirement r = required_speedup(plan, cores);
    EXPECT_DOUBLE_EQ(r.speedup, 4.0);
    EXPECT_DOUBLE_EQ(r.ideal, 0.0) << "a wakeup instead of a poll has no ideal in cores";
    EXPECT_TRUE(r.skipped.empty()) << "latency can be judged on one core too";
  }
}

TEST(Timing, EvidenceNamesWhatIsMissing) {
  const Evidence one_loop{.max_threads = 1, .peak_in_flight = 8, .max_rss_mb = 0};
  EXPECT_EQ(evidence_problem(one_loop, {1, 8, 0}), "");
  EXPECT_NE(evidence_problem(one_loop, {9, 8, 0}).find("9 threads"), std::string::npos);
  EXPECT_NE(evidence_problem(one_loop, {1, 12, 0}).find("above the cap of 8"), std::string::npos);
  EXPECT_NE(evidence_problem(one_loop, {1, 3, 0}).find("at most 3"), std::string::npos);
  EXPECT_EQ(evidence_problem(Evidence{}, {40, 100, 1ull << 40}), "") << "nothing asked, nothing checked";
  const Evidence streamed{.max_threads = 0, .peak_in_flight = 0, .max_rss_mb = 64};
  EXPECT_EQ(evidence_problem(streamed, {4, 8, 20ull << 20}), "");
  EXPECT_NE(evidence_problem(streamed, {4, 8, 300ull << 20}).find("300 MB in memory"), std::string::npos);
}

TEST(Scale, LadderDoublesUpToTwiceTheCoresAndKeepsTheCores) {
  EXPECT_EQ(worker_ladder(2, 4), (std::vector<unsigned>{1, 2, 4}));
  EXPECT_EQ(worker_ladder(6, 12), (std::vector<unsigned>{1, 2, 4, 6, 8, 12}));
  EXPECT_EQ(worker_ladder(1, 2), (std::vector<unsigned>{1, 2}));
  EXPECT_EQ(worker_ladder(8, 3), (std::vector<unsigned>{1, 2, 3})) << "nothing past --max-workers";
}

TEST(Scale, IdealFollowsTheModel) {
  TimingPlan plan;
  plan.size = 40;
  plan.bar = {.model = "cpu"};
  EXPECT_DOUBLE_EQ(ideal_speedup(plan, 1, 2), 1.0);
  EXPECT_DOUBLE_EQ(ideal_speedup(plan, 4, 2), 2.0) << "workers past the cores share them";
  plan.bar.model = "io";
  EXPECT_DOUBLE_EQ(ideal_speedup(plan, 8, 2), 8.0) << "waiting overlaps on any number of cores";
  EXPECT_NEAR(ideal_speedup(plan, 16, 2), 40.0 / 3, 1e-9) << "3 waves of at most 16";
  plan.bar.model = "fixed";
  EXPECT_DOUBLE_EQ(ideal_speedup(plan, 8, 2), 0.0);
}

TEST(Scale, ChartDrawsEveryPointTheIdealAndTheCores) {
  const ScaleSeries measured{"heavy <tasks>", {{1, 2.0, 1.0, 1.0}, {2, 1.05, 1.9, 2.0}, {4, 1.0, 2.0, 2.0}}};
  const std::string svg = speedup_svg("4.2 device_ids & co", {measured}, 2);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  std::size_t dots = 0;
  for (auto at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++dots;
  EXPECT_EQ(dots, 3u);
  EXPECT_NE(svg.find("stroke-dasharray=\"6,4\""), std::string::npos) << "the ideal line";
  EXPECT_NE(svg.find("2 cores"), std::string::npos);
  EXPECT_NE(svg.find("4 workers: 2.00x"), std::string::npos);
  EXPECT_NE(svg.find("heavy &lt;tasks&gt;"), std::string::npos) << "names are escaped for XML";
  EXPECT_NE(svg.find("device_ids &amp; co"), std::string::npos);
  EXPECT_EQ(speedup_svg("none", {{"fixed", {{1, 1, 3, 0}}}}, 2).find("6,4"), std::string::npos)
      << "no ideal line when the bar has no ideal";
}

TEST(Differential, SizesCoverTheEdges) {
  Exercise ex;
  ex.timing.size = 40;
  EXPECT_EQ(differential_sizes(ex, 8), (std::vector<std::size_t>{0, 1, 7, 9, 19, 40}));
  EXPECT_EQ(differential_sizes(ex, 1), (std::vector<std::size_t>{0, 1, 2, 5, 40}));
  ex.differential_sizes = {3};
  EXPECT_EQ(differential_sizes(ex, 8), std::vector<std::size_t>{3});
}

TEST(Report, ExitCodes) {
  RunReport report;
  report.exercises.push_back({"1.1", "x", "io", {}});
  auto& parts = report.exercises.back().parts;
  parts.emplace_back("tests", PartResult(Verdict::pass, ""));
  EXPECT_EQ(exit_code(report), 0);
  parts.emplace_back("speedup", PartResult(Verdict::inconclusive, "noisy"));
  EXPECT_EQ(exit_code(report), 3);
  parts.emplace_back("hidden", PartResult::error("no binary"));
  EXPECT_EQ(exit_code(report), 2);
  parts.emplace_back("races", PartResult(Verdict::fail, "race"));
  EXPECT_EQ(exit_code(report), 1);
}

TEST(Report, JsonHasTheDocumentedShape) {
  RunReport report;
  report.tree = "solutions";
  report.seed = 5;
  report.exercises.push_back({"1.1", "download_sites", "io", {}});
  PartResult tests(Verdict::pass, "");
  tests.details = {{"passed", 9}, {"total", 9}};
  tests.score = tests.max_score = 3;
  report.exercises.back().parts.emplace_back("tests", tests);
  const auto doc = to_json(report);
  EXPECT_EQ(doc["tree"], "solutions");
  EXPECT_EQ(doc["seed"], 5);
  EXPECT_TRUE(doc["machine"].contains("cores"));
  const auto& part = doc["exercises"][0]["parts"]["tests"];
  EXPECT_EQ(part["verdict"], "pass");
  EXPECT_EQ(part["passed"], 9);
  EXPECT_EQ(doc["exercises"][0]["score"], 3);
  EXPECT_EQ(doc["max_score"], 3);
}

TEST(Excerpts, TailLines) {
  EXPECT_EQ(tail_lines("a\nb\nc\nd\n", 2), "c\nd\n");
  EXPECT_EQ(tail_lines("a\nb", 5), "a\nb\n");
  EXPECT_EQ(tail_lines("", 3), "\n");
}

TEST(Excerpts, SanitizerReport) {
  const std::string log =
      "[ RUN ] X.Y\n==================\nWARNING: ThreadSanitizer: data race (pid=1)\n  Write of size 8\n"
      "SUMMARY: ThreadSanitizer: data race x.cpp:3 in f\n==================\nmore\n";
  const std::string report = extract_sanitizer_report(log);
  EXPECT_EQ(report.rfind("WARNING: ThreadSanitizer: data race", 0), 0u);
  EXPECT_NE(report.find("SUMMARY"), std::string::npos);
  EXPECT_EQ(report.find("more"), std::string::npos);
  EXPECT_EQ(extract_sanitizer_report("all fine\n"), "");
}

TEST(Excerpts, CompilerErrors) {
  const std::string log =
      "ninja: Entering directory `b'\n[1/3] Compiling C++ object x.o\nFAILED: x.o\n"
      "x.cpp:3:5: error: 'y' was not declared in this scope\n    3 |   y = 1;\n[2/3] Linking\n";
  const std::string errors = compiler_errors(log);
  EXPECT_NE(errors.find("x.cpp:3:5: error"), std::string::npos);
  EXPECT_NE(errors.find("y = 1"), std::string::npos);
  EXPECT_EQ(errors.find("Linking"), std::string::npos);
}

// Staging copies only student files, keeps unchanged ones untouched (no rebuild), and notices
// a file that appears or disappears, which is what decides a reconfigure.
TEST(Staging, CopiesOnlyStudentFilesAndTracksWhatIsPresent) {
  const fs::path root = fs::temp_directory_path() / ("parlab-stage-test-" + std::to_string(::getpid()));
  const Kit kit{root / "kit", root / "kit" / "build"};
  const fs::path ex_dir = kit.source_root / "exercises" / "l01_x" / "e1_y";
  fs::create_directories(ex_dir);
  std::ofstream(ex_dir / "exercise.json") << kValidManifest;
  const fs::path submission = root / "submission" / "l01_x" / "e1_y";
  fs::create_directories(submission);
  std::ofstream(submission / "download_sites.cpp") << "// mine\n";
  std::ofstream(submission / "download_sites.hpp") << "// a header the student should not get to replace\n";
  const auto exercises = load_all_manifests(kit.source_root / "exercises");

  fs::path staged;
  fs::file_time_type copied_at;
  {  // each TreeBuild holds the tree's lock until it goes out of scope
    const TreeBuild first = stage_tree(kit, (root / "submission").string(), exercises);
    staged = first.compiled / "l01_x" / "e1_y";
    EXPECT_EQ(first.present, std::vector<std::string>{"l01_x/e1_y/download_sites.cpp"});
    EXPECT_TRUE(first.missing.empty());
    EXPECT_TRUE(fs::exists(staged / "download_sites.cpp"));
    EXPECT_FALSE(fs::exists(staged / "download_sites.hpp")) << "only the manifest's student files are taken";
    EXPECT_NE(first.build_dir, kit.build_root) << "another tree must not build in the kit's own build dir";
    copied_at = fs::last_write_time(staged / "download_sites.cpp");
  }
  {
    const TreeBuild unchanged = stage_tree(kit, (root / "submission").string(), exercises);
    EXPECT_EQ(fs::last_write_time(staged / "download_sites.cpp"), copied_at) << "an unchanged file was rewritten";
  }
  fs::remove(submission / "download_sites.cpp");
  {
    const TreeBuild gone = stage_tree(kit, (root / "submission").string(), exercises);
    EXPECT_TRUE(gone.present.empty());
    EXPECT_EQ(gone.missing.at("1.1"), std::vector<std::string>{"download_sites.cpp"});
    EXPECT_FALSE(fs::exists(staged / "download_sites.cpp")) << "a deleted student file must leave the build too";
  }
  EXPECT_THROW(stage_tree(kit, (root / "nowhere").string(), exercises), std::runtime_error);
  fs::remove_all(root);
}

// gdb's `thread apply all bt` as it prints a deadlock in a -g1 build (abridged, addresses shortened).
constexpr const char* kGdbDeadlock = R"(Thread 3 (Thread 0x7f1 (LWP 12) "test_download_s"):
#0  futex_wait (private=0, expected=2, futex_word=0x7ffd) at ../sysdeps/nptl/futex-internal.h:146
#1  __GI___lll_lock_wait (futex=0x7ffd, private=0) at ./nptl/lowlevellock.c:49
#2  0x00007f2a in ___pthread_mutex_lock (mutex=0x7ffd) at ./nptl/pthread_mutex_lock.c:93
#3  0x000055d1 in std::mutex::lock () at /usr/include/c++/12/bits/std_mutex.h:100
#4  parlab::download_sites(...)::{lambda()#1}::operator()() const () at /b/src/e1/download_sites.cpp:27
#5  0x00007f2a in std::execute_native_thread_routine (__p=0x55) at ../../../../../src/libstdc++-v3/src/c++11/thread.cc:82
#6  0x00007f2a in start_thread (arg=<optimized out>) at ./nptl/pthread_create.c:442

Thread 2 (Thread 0x7f2 (LWP 11) "test_download_s"):
#0  0x00007f2a in clock_nanosleep () from /lib/x86_64-linux-gnu/libc.so.6
#1  0x00007f2a in curl_multi_poll () from /lib/x86_64-linux-gnu/libcurl.so.4

Thread 1 (Thread 0x7f3 (LWP 10) "test_download_s"):
#0  __futex_abstimed_wait_common64 (private=128, cancel=true, futex_word=0x7f1) at ./nptl/futex-internal.c:57
#1  __pthread_clockjoin_ex (threadid=139, thread_return=0x0, clockid=0, abstime=0x0, block=true) at ./nptl/pthread_join_common.c:105
#2  0x00007f2a in std::thread::join() () from /lib/x86_64-linux-gnu/libstdc++.so.6
#3  0x000055d1 in parlab::download_sites (urls=..., workers=2) at /b/src/e1/download_sites.cpp:32
#4  0x000055d1 in (anonymous namespace)::DownloadSites_Test::TestBody (this=0x5) at /kit/e1/test_download_sites.cpp:40
#5  0x000055d1 in std::function<void ()>::operator()() const (this=0x7) at /usr/include/c++/12/bits/std_function.h:591
)";

TEST(StackReport, ParsesThreadsFramesFilesAndLines) {
  const auto threads = parlab::testing::parse_gdb_threads(kGdbDeadlock);
  ASSERT_EQ(threads.size(), 3u);
  EXPECT_EQ(threads[0].number, 3);
  ASSERT_EQ(threads[0].frames.size(), 7u);
  EXPECT_EQ(threads[0].frames[2].function, "___pthread_mutex_lock");
  EXPECT_EQ(threads[0].frames[4].function, "parlab::download_sites(...)::{lambda()#1}::operator()() const");
  EXPECT_EQ(threads[0].frames[4].file, "/b/src/e1/download_sites.cpp");
  EXPECT_EQ(threads[0].frames[4].line, 27);
  EXPECT_EQ(threads[1].frames[1].function, "curl_multi_poll");
  EXPECT_EQ(threads[1].frames[1].file, "");
  EXPECT_EQ(threads[2].frames[2].function, "std::thread::join()");
  EXPECT_EQ(threads[2].frames[4].function, "(anonymous namespace)::DownloadSites_Test::TestBody");
  EXPECT_EQ(threads[2].frames[5].function, "std::function<void ()>::operator()() const");
}

TEST(StackReport, SaysWhatEachThreadWaitsForInItsOwnFiles) {
  EXPECT_EQ(parlab::testing::describe_threads(parlab::testing::parse_gdb_threads(kGdbDeadlock)),
            "thread 3 waits for a mutex, in parlab::download_sites(...)::{lambda()#1}::operator()() const at "
            "download_sites.cpp:27\n"
            "thread 1 waits to join a thread, in parlab::download_sites at download_sites.cpp:32\n"
            "(1 more thread outside the program's files)\n");
  EXPECT_EQ(parlab::testing::describe_threads({}), "");
  EXPECT_EQ(parlab::testing::describe_threads(parlab::testing::parse_gdb_threads("not gdb output\n#0 nothing")), "");
}

// A test that passed and then hung in exit(): no thread is in the program's files any more.
constexpr const char* kGdbHungAtExit = R"(Thread 1 (Thread 0x7f3 (LWP 10) "test_async_dela"):
#0  futex_wait (private=0, expected=2, futex_word=0x7ffd) at ../sysdeps/nptl/futex-internal.h:146
#1  __GI___lll_lock_wait (futex=0x7ffd, private=0) at ./nptl/lowlevellock.c:49
#2  0x00007f2a in curl_global_cleanup () from /lib/x86_64-linux-gnu/libcurl.so.4
#3  0x00007f2a in __run_exit_handlers (status=0, listp=0x7f2a) at ./stdlib/exit.c:113
#4  0x00007f2a in __GI_exit (status=<optimized out>) at ./stdlib/exit.c:143
)";

TEST(StackReport, AHangAfterMainShowsTheLibraryCallsInstead) {
  EXPECT_EQ(parlab::testing::describe_threads(parlab::testing::parse_gdb_threads(kGdbHungAtExit)),
            "thread 1, outside the program's files, in futex_wait < __GI___lll_lock_wait < curl_global_cleanup < "
            "__run_exit_handlers\n");
}
