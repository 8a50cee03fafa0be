// Test: `grader trace`: the /proc stat parser, the timeline's figures and SVG on made-up
// samples, the sampler on a real busy process, and the command end to end on exercise 1.1's
// solution (workers overlap) and starter (one request after another).
//
// The end-to-end cases build exercise 1.1 in two trees, and may first wait for the staged
// tree's lock while the e2e suite holds it; nothing here asserts a time.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "proc_sampler.hpp"
#include "supervisor.hpp"
#include "trace_svg.hpp"

namespace fs = std::filesystem;
using namespace parlab::grader;

namespace {

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / ("parlab-trace-test-" + std::to_string(::getpid())) / name;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

// Whether libxml2 parses the text as a well-formed XML document.
bool well_formed(const std::string& xml) {
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "trace.svg", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  const bool ok = doc != nullptr;
  xmlFreeDoc(doc);
  return ok;
}

// A stat line with the given command name and fields 3.. as given.
const std::string kFields = " 4700 4711 4700 0 -1 4194560 120 0 0 0 7 3 0 0 20 0 9 0 12345 1000 50";

}  // namespace

TEST(StatLine, ReadsThePlainFields) {
  const auto stat = parse_stat_line("4711 (bench_download_) S" + kFields + "\n");
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->id, 4711);
  EXPECT_EQ(stat->comm, "bench_download_");
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->parent, 4700);
  EXPECT_EQ(stat->utime, 7u);
  EXPECT_EQ(stat->stime, 3u);
}

TEST(StatLine, ACommandNameRunsToTheLastParenthesis) {
  // A program may name itself anything: spaces, parentheses, even ") R 1 2".
  for (const std::string comm : {"a b", "a) b (c", "x) R 1 2 (", "((", "))", ""}) {
    const auto stat = parse_stat_line("12 (" + comm + ") D" + kFields);
    ASSERT_TRUE(stat) << comm;
    EXPECT_EQ(stat->comm, comm);
    EXPECT_EQ(stat->state, 'D') << comm;
    EXPECT_EQ(stat->utime, 7u) << comm;
    EXPECT_EQ(stat->stime, 3u) << comm;
  }
}

TEST(StatLine, MalformedLinesGiveNothing) {
  const std::vector<std::string> lines = {"",
                                          "12",
                                          "12 (x)",
                                          "12 (x) S 1 2",
                                          "x12 (x) S" + kFields,
                                          "12 (x) SS" + kFields,
                                          "12 (x) S 4700 4711 4700 0 -1 4194560 120 0 0 0 seven 3"};
  for (const std::string& line : lines) {
    EXPECT_FALSE(parse_stat_line(line)) << line;
  }
}

TEST(StatLine, ReadsThisProcessOwnLine) {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  const auto stat = parse_stat_line(line);
  ASSERT_TRUE(stat) << line;
  EXPECT_EQ(stat->id, ::getpid());
  EXPECT_EQ(stat->state, 'R');  // it is reading its own stat: running
  EXPECT_EQ(stat->parent, ::getppid());
}

namespace {

// Made-up samples every 10 ms, 0..100 ms: main all along and nearly idle, thread 101 fully busy
// from 20 to 80 ms, thread 102 (a name to escape) half busy from 30 to 60 ms, and a child
// process from 40 to 90 ms; `in_flight` requests at each sample and one more started at each,
// when given.
std::vector<Sample> made_up(std::optional<std::uint64_t> in_flight) {
  std::vector<Sample> samples;
  double busy_cpu = 0, half_cpu = 0, child_cpu = 0;
  for (int t = 0; t <= 100; t += 10) {
    Sample s{static_cast<double>(t), {}, in_flight, {}};
    if (in_flight) s.requests = t / 10;
    s.tasks.push_back({100, 100, false, "bench_x", 'S', 0.0001 * t});
    if (t >= 20 && t <= 80) s.tasks.push_back({100, 101, false, "bench_x", 'R', busy_cpu += t > 20 ? 0.010 : 0});
    if (t >= 30 && t <= 60) s.tasks.push_back({100, 102, false, "<evil & \"co\">", 'D', half_cpu += 0.005});
    if (t >= 40 && t <= 90) s.tasks.push_back({200, 200, true, "worker", 'S', child_cpu += 0.001});
    samples.push_back(std::move(s));
  }
  return samples;
}

}  // namespace

TEST(TraceTimeline, OneRowPerThreadAndProcessInOrderOfAppearance) {
  const auto rows = trace_rows(made_up(std::nullopt));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].label, "main");
  EXPECT_EQ(rows[1].label, "thread 2");
  EXPECT_EQ(rows[2].label, "thread 3: <evil & \"co\">");
  EXPECT_EQ(rows[3].label, "process 1: worker");
  EXPECT_TRUE(rows[3].process);
  EXPECT_DOUBLE_EQ(rows[1].first_ms, 20);
  EXPECT_DOUBLE_EQ(rows[1].last_ms, 80);
  ASSERT_EQ(rows[1].slices.size(), 7u);
  for (std::size_t i = 1; i < rows[1].slices.size(); ++i) EXPECT_NEAR(rows[1].slices[i].busy, 1.0, 1e-9);
  for (const auto& slice : rows[2].slices) EXPECT_NEAR(slice.busy, 0.5, 1e-9);
}

TEST(TraceTimeline, FiguresCountWhatRanAtOnce) {
  const TraceFigures f = trace_figures(made_up(3));
  EXPECT_DOUBLE_EQ(f.wall_ms, 100);
  EXPECT_EQ(f.threads_seen, 3u);
  EXPECT_EQ(f.processes_seen, 1u);
  EXPECT_EQ(f.peak_alive, 4u);   // 40..60 ms: all four
  EXPECT_EQ(f.peak_others, 3u);  // all but main
  EXPECT_EQ(f.peak_running, 1u);
  EXPECT_EQ(f.peak_in_flight, 3u);
  EXPECT_NEAR(f.cpu_seconds, 0.010 + 0.060 + 0.020 + 0.006, 1e-9);
}

TEST(TraceTimeline, TheSvgIsWellFormedWithTextEscapedAndARowPerThread) {
  TraceInfo info{"9.9", "made_up & <co>", "solutions", "", 40, "item", 8, 3, "a reading"};
  const auto samples = made_up(3);
  const std::string svg = trace_svg(info, samples);
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_TRUE(well_formed(svg)) << svg;
  EXPECT_EQ(count(svg, "<g>"), 4u) << "one group per row";
  for (const char* label : {">main<", ">thread 2<", ">process 1: worker<"}) {
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  }
  EXPECT_NE(svg.find("thread 3: &lt;evil &amp; &quot;co&quot;&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<evil"), std::string::npos);
  EXPECT_NE(svg.find("made_up &amp; &lt;co&gt;"), std::string::npos);
  EXPECT_NE(svg.find("requests in flight"), std::string::npos);
  EXPECT_EQ(count(svg, "fill=\"#a63603\""), 10u + 1) << "a tick per sample that started a request, and the legend's";
  EXPECT_GE(count(svg, "fill=\"#08519c\""), 2u) << "thread 2 was fully busy: the full colour (and the legend's)";
  EXPECT_EQ(count(svg, "fill=\"#84a8ce\""), 1u) << "thread 3 was half busy: half the colour, once";

  info.peak_in_flight.reset();  // no fixture: no chart
  const std::string without = trace_svg(info, made_up(std::nullopt));
  EXPECT_TRUE(well_formed(without));
  EXPECT_EQ(without.find("requests in flight"), std::string::npos);
  EXPECT_TRUE(well_formed(trace_svg(info, {}))) << "no samples at all still makes a picture";
  info.reading = "a control character \x01 in the text";
  EXPECT_TRUE(well_formed(trace_svg(info, samples)));
}

TEST(TraceTimeline, TheReadingNamesSerialOverlappingAndTakingTurns) {
  TraceFigures serial;
  serial.threads_seen = serial.peak_alive = 1;
  EXPECT_NE(trace_reading(serial, 1).find("the run is serial"), std::string::npos);
  EXPECT_NE(trace_reading(serial, std::nullopt).find("the run is serial"), std::string::npos);
  EXPECT_NE(trace_reading(serial, 8).find("event loop"), std::string::npos);

  TraceFigures pool;
  pool.threads_seen = pool.peak_alive = 9;
  pool.peak_others = 8;
  EXPECT_NE(trace_reading(pool, 8).find("8 threads overlapped"), std::string::npos) << trace_reading(pool, 8);
  EXPECT_NE(trace_reading(pool, 1).find("did not overlap"), std::string::npos);
  pool.cores_busy_together = 1.0;
  pool.ready_together = 1.0;  // one ran, the others were blocked
  EXPECT_NE(trace_reading(pool, std::nullopt).find("took turns"), std::string::npos);
  pool.ready_together = 2.0;  // they all wanted to run, and shared a core
  EXPECT_NE(trace_reading(pool, std::nullopt).find("other programs"), std::string::npos);
  pool.cores_busy_together = 1.9;
  EXPECT_NE(trace_reading(pool, std::nullopt).find("overlapped"), std::string::npos);
}

// The sampler on a real process: 2 busy threads and a busy child process, 300 ms of CPU each.
TEST(ProcSampler, SeesTheThreadsTheChildProcessAndTheirCpuTime) {
  std::uint64_t calls = 0;  // only the sampler's thread calls it, and we read it after finish()
  ProcSampler sampler(
      SamplerOptions{std::chrono::microseconds(2'000), [] { return std::uint64_t{7}; }, [&calls] { return ++calls; }});
  ChildSpec spec;
  spec.program = PARLAB_BUSY_THREADS;
  spec.args = {"2", "300", "1"};
  spec.work_dir = scratch("busy");
  spec.timeout = std::chrono::minutes(2);
  spec.on_started = [&sampler](int pid) { sampler.start(pid); };
  const ChildResult run = run_child(spec);
  ASSERT_TRUE(run.ok()) << run.describe();
  const auto samples = sampler.finish();
  ASSERT_FALSE(samples.empty());
  EXPECT_TRUE(
      std::is_sorted(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.t_ms < b.t_ms; }));
  EXPECT_TRUE(std::all_of(samples.begin(), samples.end(), [](const Sample& s) { return s.in_flight == 7u; }));
  EXPECT_EQ(calls, samples.size());
  EXPECT_EQ(samples.back().requests, samples.size());

  const TraceFigures f = trace_figures(samples);
  EXPECT_GE(f.threads_seen, 3u) << "main and two busy threads";
  EXPECT_EQ(f.processes_seen, 1u) << "the forked child";
  EXPECT_GE(f.peak_others, 3u) << "both threads and the child at one sample";
  EXPECT_GT(f.cpu_seconds, 0.5) << "three times 300 ms of CPU, less what the last samples missed";
  const auto rows = trace_rows(samples);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].label, "main");
  EXPECT_EQ(rows[0].tid, run.pid);
  const auto busiest = std::max_element(
      rows.begin(), rows.end(), [](const TraceRow& a, const TraceRow& b) { return a.slices.size() < b.slices.size(); });
  EXPECT_GE(busiest->slices.size(), 5u);
  // The oddly named thread: its name printable, so that the SVG and the JSON can hold it.
  const std::string odd = "odd" + std::string(2, '?') + ") name";  // "\x01\xc3" became "??"
  EXPECT_TRUE(std::any_of(rows.begin(), rows.end(), [&odd](const TraceRow& r) { return r.comm == odd; }));
  for (const TraceRow& row : rows) {
    EXPECT_TRUE(std::all_of(row.comm.begin(), row.comm.end(), [](char c) { return c >= 0x20 && c <= 0x7e; }))
        << row.comm;
  }
  EXPECT_TRUE(well_formed(trace_svg(TraceInfo{}, samples)));
}

namespace {

struct Traced {
  ChildResult run;
  nlohmann::json doc;
  std::string output;
  std::string svg;
};

// `grader trace 1.1 --tree TREE --out <scratch>/TREE`, and what it wrote.
Traced trace(const std::string& tree) {
  const fs::path out = scratch(tree);
  ChildSpec spec;
  spec.program = PARLAB_GRADER;
  spec.args = {"trace", "1.1", "--tree", tree, "--out", out.string()};
  spec.work_dir = scratch("run-" + tree);
  spec.timeout = std::chrono::minutes(29);  // it may first wait for the e2e suite's tree lock
  spec.memory_bytes = 0;
  spec.output_bytes = 0;
  spec.max_tasks = parlab::grader::kTasksOfAGrader;
  Traced traced{run_child(spec), {}, {}, {}};
  traced.output = traced.run.stdout_text() + traced.run.stderr_text();
  std::ifstream json(out / "trace-1.1.json");
  if (json) traced.doc = nlohmann::json::parse(json, nullptr, false);
  std::ifstream svg(out / "trace-1.1.svg");
  traced.svg.assign(std::istreambuf_iterator<char>(svg), {});
  return traced;
}

// The most rows alive at one sample, counted from the raw samples.
std::size_t most_alive(const nlohmann::json& doc) {
  std::size_t most = 0;
  for (const auto& sample : doc["samples"]) most = std::max(most, sample["tasks"].size());
  return most;
}

}  // namespace

TEST(GraderTrace, TheSolutionsWorkersOverlapWithRequestsInFlight) {
  const Traced t = trace("solutions");
  ASSERT_EQ(t.run.exit_code, 0) << t.output;
  ASSERT_TRUE(t.doc.is_object()) << t.output;
  EXPECT_GE(most_alive(t.doc), 4u) << "the workers should be alive at once\n" << t.output;
  EXPECT_GE(t.doc["summary"]["peak_in_flight"].get<int>(), 4) << t.output;
  EXPECT_GE(t.doc["summary"]["peak_in_flight_sampled"].get<int>(), 2) << t.output;
  EXPECT_NE(t.output.find("overlapped"), std::string::npos) << t.output;
  EXPECT_TRUE(well_formed(t.svg));
  EXPECT_GE(count(t.svg, "<g>"), 4u);
  EXPECT_NE(t.svg.find("requests in flight"), std::string::npos);
}

TEST(GraderTrace, TheStartersRequestsFormOneSerialChain) {
  const Traced t = trace("exercises");
  ASSERT_EQ(t.run.exit_code, 0) << t.output;
  ASSERT_TRUE(t.doc.is_object()) << t.output;
  EXPECT_EQ(t.doc["summary"]["peak_in_flight"], 1) << t.output;
  EXPECT_EQ(t.doc["summary"]["peak_others"], 0) << "the starter starts no thread\n" << t.output;
  EXPECT_EQ(most_alive(t.doc), 1u);
  EXPECT_NE(t.output.find("the run is serial"), std::string::npos) << t.output;
  EXPECT_TRUE(well_formed(t.svg));
}

int main(int argc, char** argv) {
  install_supervision();
  ::testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  std::error_code ignored;
  fs::remove_all(scratch(""), ignored);
  return failed;
}
