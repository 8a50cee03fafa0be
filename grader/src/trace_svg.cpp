// Grader: the timeline `grader trace` draws (see trace_svg.hpp).
#include "trace_svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <tuple>

#include "svg_text.hpp"

namespace parlab::grader {
namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 200, kRight = 30;           // the label column; the margin on the right
constexpr double kLine = 18;                         // a header line's height
constexpr std::size_t kLineChars = 140;              // about what fits across at 12 px
constexpr double kPitch = 20, kBar = 14, kLife = 6;  // a row's height; its busy bar; its lifetime bar
constexpr double kChart = 80;                        // the requests-in-flight chart's height
constexpr double kStarts = 14;                       // the strip of ticks where requests started
constexpr const char* kBusy = "#08519c";
constexpr const char* kInFlight = "#fd8d3c";
constexpr const char* kStarted = "#a63603";

// How a lifetime bar is coloured by the thread's state at each sample.
struct StateStyle {
  char state;
  const char* colour;
  const char* meaning;
};
constexpr std::array<StateStyle, 4> kStates = {{{'R', "#a1d99b", "running or ready (R)"},
                                                {'S', "#c6dbef", "asleep or blocked (S)"},
                                                {'D', "#fdd0a2", "waiting on disk (D)"},
                                                {'?', "#d9d9d9", "other"}}};

int state_index(char state) {
  for (std::size_t i = 0; i + 1 < kStates.size(); ++i) {
    if (kStates[i].state == state) return static_cast<int>(i);
  }
  return static_cast<int>(kStates.size() - 1);
}

// "1 thread", "9 threads", "2 processes".
std::string count_of(std::uint64_t n, const std::string& noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : noun.ends_with('s') ? "es" : "s");
}

// Words in lines of at most `width` characters (a longer word gets a line of its own).
std::vector<std::string> wrapped(const std::string& text, std::size_t width) {
  std::vector<std::string> lines{""};
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    const std::string word = text.substr(at, end - at);
    if (!lines.back().empty() && lines.back().size() + 1 + word.size() > width) lines.emplace_back();
    lines.back() += (lines.back().empty() ? "" : " ") + word;
    at = end + 1;
  }
  return lines;
}

// The busy colour at `tenths` of full strength, mixed with white: opaque, so that the lifetime
// bar beneath does not show through a busy span and stripe it.
std::string busy_colour(int tenths) {
  constexpr std::array<int, 3> full = {0x08, 0x51, 0x9c};  // kBusy
  std::string colour = "#";
  for (const int c : full) colour += fmt::format("{:02x}", 255 - (255 - c) * tenths / 10);
  return colour;
}

// A row's identity across samples: a thread of the bench process, or a descendant process.
using RowKey = std::tuple<bool, int, int>;  // process, pid, tid
RowKey key_of(const TaskReading& task) { return {task.process, task.pid, task.tid}; }

// Consecutive slices that share a key, merged into one span; a negative key is not drawn.
struct Span {
  double from_ms, to_ms;
  int key;
};
template <class KeyOf>
std::vector<Span> spans(const std::vector<TraceRow::Slice>& slices, KeyOf key_of_slice) {
  std::vector<Span> out;
  for (const auto& slice : slices) {
    const int key = key_of_slice(slice);
    if (!out.empty() && out.back().key == key && std::abs(out.back().to_ms - slice.from_ms) < 1e-9) {
      out.back().to_ms = slice.to_ms;
    } else {
      out.push_back({slice.from_ms, slice.to_ms, key});
    }
  }
  std::erase_if(out, [](const Span& s) { return s.key < 0; });
  return out;
}

// Slices narrower than `width` merged, by where their middles fall: a few pixels each, so that a
// busy bar's shade is the share of CPU time over them rather than a flicker of scheduler
// time slices. A merged slice takes the state it spent the longest in.
std::vector<TraceRow::Slice> coarsened(const std::vector<TraceRow::Slice>& slices, double width) {
  std::vector<TraceRow::Slice> out;
  std::array<double, kStates.size()> in_state{};
  long bin = -1;
  for (const auto& slice : slices) {
    const double length = slice.to_ms - slice.from_ms;
    const long here = std::lround(std::floor((slice.from_ms + slice.to_ms) / 2 / width));
    if (out.empty() || here != bin || std::abs(out.back().to_ms - slice.from_ms) > 1e-9) {
      out.push_back({slice.from_ms, slice.from_ms, 0, slice.state});
      in_state.fill(0);
      bin = here;
    }
    TraceRow::Slice& merged = out.back();
    const double before = merged.to_ms - merged.from_ms;
    merged.busy = before + length > 0 ? (merged.busy * before + slice.busy * length) / (before + length) : 0;
    merged.to_ms = slice.to_ms;
    const auto state = static_cast<std::size_t>(state_index(slice.state));
    in_state[state] += length;
    if (in_state[state] > in_state[static_cast<std::size_t>(state_index(merged.state))]) merged.state = slice.state;
  }
  return out;
}

struct Axes {
  double max_ms;
  double x(double ms) const { return kLeft + (kWidth - kLeft - kRight) * ms / max_ms; }
};

}  // namespace

std::vector<TraceRow> trace_rows(const std::vector<Sample>& samples) {
  std::vector<TraceRow> rows;
  std::map<RowKey, std::size_t> index;
  std::vector<double> cpu;  // each row's CPU time at its last reading
  double previous_ms = 0;
  for (const Sample& sample : samples) {
    for (const TaskReading& task : sample.tasks) {
      const auto [at, fresh] = index.try_emplace(key_of(task), rows.size());
      if (fresh) {
        rows.push_back({{}, {}, task.pid, task.tid, task.process, sample.t_ms, sample.t_ms, {}});
        cpu.push_back(0);  // born in this interval: all its CPU time was spent in it
      }
      TraceRow& row = rows[at->second];
      const double from = row.slices.empty() ? previous_ms : std::max(previous_ms, row.slices.back().to_ms);
      const double length_s = (sample.t_ms - from) / 1000;
      const double used = std::max(0.0, task.cpu_seconds - cpu[at->second]);
      row.slices.push_back({from, sample.t_ms, length_s > 0 ? std::min(1.0, used / length_s) : 0, task.state});
      cpu[at->second] = task.cpu_seconds;
      row.comm = task.comm;
      row.last_ms = sample.t_ms;
    }
    previous_ms = sample.t_ms;
  }
  // Labels once every name is final: a process forked from the bench takes the name of what
  // it runs only at its exec. The first row is the bench process's first thread.
  const std::string main_comm = rows.empty() ? "" : rows.front().comm;
  unsigned threads = 0, processes = 0;
  for (TraceRow& row : rows) {
    const unsigned number = row.process ? ++processes : ++threads;
    if (!row.process && number == 1) {
      row.label = "main";
      continue;
    }
    row.label = fmt::format("{} {}", row.process ? "process" : "thread", number);
    if (row.comm != main_comm) row.label += ": " + row.comm;
  }
  return rows;
}

TraceFigures trace_figures(const std::vector<Sample>& samples) {
  TraceFigures f;
  if (samples.empty() || samples.front().tasks.empty()) return f;
  f.wall_ms = samples.back().t_ms;
  const RowKey main_key = key_of(samples.front().tasks.front());
  std::map<RowKey, double> cpu;  // each row's CPU time so far
  double together_cpu = 0, together_ms = 0, together_ready = 0, previous_ms = 0;
  for (const Sample& sample : samples) {
    unsigned others = 0, running = 0;
    double used = 0;  // by every row in this sample's interval
    for (const TaskReading& task : sample.tasks) {
      others += key_of(task) != main_key;
      running += task.state == 'R';
      double& last = cpu[key_of(task)];
      used += std::max(0.0, task.cpu_seconds - last);
      last = std::max(last, task.cpu_seconds);
    }
    f.peak_alive = std::max<unsigned>(f.peak_alive, sample.tasks.size());
    f.peak_others = std::max(f.peak_others, others);
    f.peak_running = std::max(f.peak_running, running);
    if (sample.in_flight) f.peak_in_flight = std::max(f.peak_in_flight.value_or(0), *sample.in_flight);
    if (others > 0) {
      together_cpu += used;
      together_ms += sample.t_ms - previous_ms;
      together_ready += running * (sample.t_ms - previous_ms);
    }
    previous_ms = sample.t_ms;
  }
  for (const auto& [key, seconds] : cpu) {
    f.cpu_seconds += seconds;
    (std::get<0>(key) ? f.processes_seen : f.threads_seen) += 1;
  }
  if (f.wall_ms > 0) f.cores_busy = f.cpu_seconds / (f.wall_ms / 1000);
  if (together_ms > 0) {
    f.cores_busy_together = together_cpu / (together_ms / 1000);
    f.ready_together = together_ready / together_ms;
  }
  return f;
}

std::string trace_reading(const TraceFigures& f, std::optional<std::uint64_t> peak_in_flight) {
  if (!peak_in_flight) peak_in_flight = f.peak_in_flight;
  const bool threads = f.processes_seen == 0 || f.threads_seen > 1, processes = f.processes_seen > 0;
  const char* noun = threads && processes ? "threads and processes" : processes ? "processes" : "threads";
  const char* one = threads && processes ? "thread or process" : processes ? "process" : "thread";
  if (f.peak_others == 0) {
    std::string reading = "one thread did all the work: the run is serial";
    if (peak_in_flight && *peak_in_flight <= 1) reading += ", one request at a time";
    if (peak_in_flight && *peak_in_flight > 1) {
      reading = fmt::format(
          "one thread kept up to {} requests in flight at once: the waits overlapped without worker threads (an "
          "event loop)",
          *peak_in_flight);
    }
    return reading;
  }
  const unsigned n = f.peak_others;
  const std::string who = fmt::format("{} {}", n, n == 1 ? one : noun);
  if (peak_in_flight) {
    if (*peak_in_flight <= 1) {
      return fmt::format(
          "{} ran beside main, but never more than one request was in flight: the waits did not overlap (a lock "
          "around the request, or a join right after each start?)",
          who);
    }
    return fmt::format("{} overlapped beside main; up to {} requests were in flight at once", who, *peak_in_flight);
  }
  if (f.cores_busy_together < 1.15 && f.ready_together >= 1.5) {
    return fmt::format(
        "{} were ready to run at once, but only about one core was free for them: other programs were using the "
        "rest (trace again when the machine is quieter)",
        who);
  }
  if (f.cores_busy_together < 1.15) {
    return fmt::format(
        "{} {} alive beside main, but only about one core was busy meanwhile: they took turns (a lock around the "
        "work, or a join right after each start?)",
        who, n == 1 ? "was" : "were");
  }
  return fmt::format("{} overlapped beside main, keeping {:.1f} cores busy while they ran", who, f.cores_busy_together);
}

std::string trace_svg(const TraceInfo& info, const std::vector<Sample>& samples) {
  const auto rows = trace_rows(samples);
  const TraceFigures f = trace_figures(samples);
  const bool chart = info.peak_in_flight.has_value();
  const double step = tick_step(std::max(f.wall_ms, 1.0), 10);
  const Axes axes{std::ceil(std::max(f.wall_ms, 1.0) / step) * step};

  // Header: what ran, the figures, and the one-sentence reading, wrapped to the width.
  std::string facts = fmt::format("{} tree, {}, {} workers: wall {:.0f} ms, {:.2f} cores busy, {}", info.tree,
                                  count_of(info.size, info.unit), info.workers, f.wall_ms, f.cores_busy,
                                  count_of(f.threads_seen, "thread"));
  if (f.processes_seen > 0) facts += " and " + count_of(f.processes_seen, "process");
  facts += fmt::format(" seen, at most {} alive at once", f.peak_alive);
  if (chart) facts += fmt::format(", peak {} in flight", count_of(*info.peak_in_flight, "request"));
  const std::string title = fmt::format("{} {}{}: what each thread did, sampled every few ms from /proc", info.id,
                                        info.title, info.variant.empty() ? "" : " [" + info.variant + "]");
  std::vector<std::pair<std::string, bool>> header;  // a line, and whether it is the reading's
  for (const auto& line : wrapped(facts, kLineChars)) header.emplace_back(line, false);
  for (const auto& line : wrapped(info.reading, kLineChars)) header.emplace_back(line, true);
  const double top = 40 + kLine * static_cast<double>(header.size());
  const double rows_bottom = top + kPitch * static_cast<double>(std::max<std::size_t>(rows.size(), 1));
  const double axis_y = rows_bottom + 4;
  const double chart_top = axis_y + 44, chart_bottom = chart_top + kChart;
  const double starts_top = chart_bottom + 8;

  // The legend, laid out first (its lines decide the height): what each colour means.
  struct Entry {
    const char* colour;
    double width, height;
    std::string text;
    double x = 0, y = 0;
  };
  std::vector<Entry> legend{{kBusy, 18, kBar, "busy on a CPU (darker: busier)"}};
  for (std::size_t i = 0; i + 1 < kStates.size(); ++i)
    legend.push_back({kStates[i].colour, 18, kLife, kStates[i].meaning});
  if (chart) {
    legend.push_back({kInFlight, 18, kBar, "requests in flight"});
    legend.push_back({kStarted, 2, kStarts, "requests started (taller: more at once)"});
  }
  double legend_x = 12, legend_y = (chart ? starts_top + kStarts : axis_y + 30) + 30;
  for (Entry& e : legend) {
    const double width = e.width + 6 + 6.5 * static_cast<double>(e.text.size()) + 18;
    if (legend_x + width > kWidth) legend_x = 12, legend_y += 22;
    e.x = legend_x, e.y = legend_y;
    legend_x += width;
  }
  const double height = legend_y + 24;

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1:.0f}\" viewBox=\"0 0 {0} {1:.0f}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"12\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
      kWidth, height, xml_escaped(title));
  for (std::size_t i = 0; i < header.size(); ++i) {
    svg += fmt::format("<text x=\"12\" y=\"{:.0f}\"{}>{}</text>\n", 42 + kLine * static_cast<double>(i),
                       header[i].second ? " font-style=\"italic\" fill=\"#333\"" : "", xml_escaped(header[i].first));
  }

  // Time axis, with grid lines through the rows and the chart.
  const double grid_bottom = chart ? starts_top + kStarts : axis_y;
  for (double ms = 0; ms <= axes.max_ms + 1e-9; ms += step) {
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#eee\"/>\n"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\" fill=\"#555\">{4}</text>\n",
        axes.x(ms), top - 4, grid_bottom, axis_y + 14, ms);
  }
  svg += fmt::format(
      "<path d=\"M{:.1f},{:.1f} H{:.1f}\" stroke=\"black\"/>\n"
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">ms since the bench process started</text>\n",
      axes.x(0), axis_y, axes.x(axes.max_ms), (axes.x(0) + axes.x(axes.max_ms)) / 2, axis_y + 30);

  // One row per thread or process: its lifetime thin, coloured by state; its CPU use in dark
  // bars whose opacity is the fraction of the time it was busy.
  if (rows.empty()) {
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">no samples: the process ended before the first one</text>\n",
                       kLeft, top + 14);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const TraceRow& row = rows[i];
    const auto slices = coarsened(row.slices, axes.max_ms / 200);
    const double y = top + kPitch * static_cast<double>(i);
    const double mid = y + kPitch / 2;
    svg += fmt::format("<g><title>{} {} ({}): seen {:.0f}-{:.0f} ms</title>\n", row.process ? "process" : "thread",
                       row.process ? row.pid : row.tid, xml_escaped(row.comm), row.first_ms, row.last_ms);
    if (i % 2 == 1) {
      svg +=
          fmt::format("<rect x=\"0\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" fill=\"#f8f8f8\"/>\n", y, kWidth, kPitch);
    }
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 8, mid + 4,
                       xml_escaped(row.label));
    for (const Span& s : spans(slices, [](const TraceRow::Slice& x) { return state_index(x.state); })) {
      svg += fmt::format("<rect x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\"/>\n",
                         axes.x(s.from_ms), mid - kLife / 2, axes.x(s.to_ms) - axes.x(s.from_ms), kLife,
                         kStates[static_cast<std::size_t>(s.key)].colour);
    }
    // Busy in tenths, darker the busier; under a twentieth is not drawn (a thread that wakes to
    // check a clock).
    for (const Span& s : spans(slices, [](const TraceRow::Slice& x) {
           const int tenths = static_cast<int>(std::lround(x.busy * 10));
           return tenths == 0 ? -1 : tenths;
         })) {
      svg +=
          fmt::format("<rect x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\"/>\n",
                      axes.x(s.from_ms), mid - kBar / 2, axes.x(s.to_ms) - axes.x(s.from_ms), kBar, busy_colour(s.key));
    }
    svg += "</g>\n";
  }

  // The fixture's requests in flight, as sampled: a step chart under the rows.
  if (chart) {
    const std::uint64_t ceiling = std::max<std::uint64_t>({1, f.peak_in_flight.value_or(0), *info.peak_in_flight});
    const auto y = [&](std::uint64_t v) {
      return chart_bottom - kChart * static_cast<double>(v) / static_cast<double>(ceiling);
    };
    std::string path = fmt::format("M{:.2f},{:.1f}", axes.x(0), chart_bottom);
    std::uint64_t drawn = 0;  // a step only where the count changed: a hang samples for 30 s
    for (const Sample& sample : samples) {
      if (!sample.in_flight || *sample.in_flight == drawn) continue;
      path += fmt::format(" H{:.2f} V{:.1f}", axes.x(sample.t_ms), y(drawn = *sample.in_flight));
    }
    path += fmt::format(" H{:.2f} V{:.1f} Z", axes.x(f.wall_ms), chart_bottom);
    svg += fmt::format(
        "<path d=\"{}\" fill=\"{}\" fill-opacity=\"0.6\" stroke=\"{}\"/>\n"
        "<path d=\"M{:.1f},{:.1f} V{:.1f} H{:.1f}\" stroke=\"black\" fill=\"none\"/>\n"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">requests in flight</text>\n"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">at the fixture server</text>\n",
        path, kInFlight, kInFlight, axes.x(0), chart_top, chart_bottom, axes.x(axes.max_ms), kLeft - 40,
        chart_top + kChart / 2, kLeft - 40, chart_top + kChart / 2 + 14);
    for (const std::uint64_t v : {std::uint64_t{0}, ceiling}) {
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">{}</text>\n", kLeft - 6,
                         y(v) + 4, v);
    }

    // Beneath it, a tick wherever requests started since the sample before: a serial chain is a
    // comb of single ticks, a pool a few tall ones.
    std::vector<std::pair<double, std::uint64_t>> starts;  // (ms, requests started)
    std::uint64_t before = 0, most = 1;
    for (const Sample& sample : samples) {
      if (!sample.requests) continue;
      if (*sample.requests > before) starts.emplace_back(sample.t_ms, *sample.requests - before);
      before = std::max(before, *sample.requests);
      most = std::max(most, starts.empty() ? 1 : starts.back().second);
    }
    for (const auto& [ms, n] : starts) {
      const double tall = std::max(4.0, kStarts * static_cast<double>(n) / static_cast<double>(most));
      svg += fmt::format("<rect x=\"{:.2f}\" y=\"{:.1f}\" width=\"1.5\" height=\"{:.1f}\" fill=\"{}\"/>\n",
                         axes.x(ms) - 0.75, starts_top + kStarts - tall, tall, kStarted);
    }
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">requests started</text>\n", kLeft - 8,
                       starts_top + kStarts - 2);
  }

  for (const Entry& e : legend) {
    svg += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n"
        "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
        e.x, e.y - e.height / 2, e.width, e.height, e.colour, e.x + e.width + 6, e.y + 4, xml_escaped(e.text));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace parlab::grader
