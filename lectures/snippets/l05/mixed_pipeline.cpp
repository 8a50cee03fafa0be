// Lecture snippet (lecture 5): downloads that overlap processing. Monthly CSV files of generator
// output (the fixture's /scada/2021/<month>.csv, sent at a limited rate, like a distant server),
// each reduced to the mean and standard deviation of every unit's output. First one month at a
// time: download it, process it, then the next. Then as a pipeline of two threads: a downloader
// puts each file on a queue as soon as it has arrived, and a processor takes files off the queue,
// so that month m is processed while month m+1 downloads. Prints a timeline of both ways.
// Usage: mixed_pipeline [months, 1-12; default 4] [units per file; default 8] [bytes a second; default 100 MB/s]
#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "../l02/http_get.hpp"
#include "../l03/stopwatch.hpp"
#include "fixture_env.hpp"
#include "machine.hpp"

using Clock = std::chrono::steady_clock;

// ---- the two stages ----

struct Stats {
  long count = 0;
  double mean = 0, m2 = 0;  // Welford's running mean and sum of squared deviations
  void add(double x) {
    ++count;
    const double delta = x - mean;
    mean += delta / static_cast<double>(count);
    m2 += delta * (x - mean);
  }
  double stddev() const { return count > 1 ? std::sqrt(m2 / static_cast<double>(count - 1)) : 0; }
};

using MonthStats = std::map<std::string, Stats>;  // unit name -> its output over the month

struct Span {
  double start = 0, end = 0;  // seconds since the run began
};

struct Month {
  int number = 0;
  std::string csv;  // the body, from the downloader to the processor
  Span download, process;
  MonthStats stats;
};

// The I/O stage: one GET on the caller's handle, which keeps its connection for the next month.
void download(CURL* handle, const std::string& url, Month& month) {
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &month.csv);
  if (curl_easy_perform(handle) != CURLE_OK || response_code(handle) != 200) {
    throw std::runtime_error("download failed: " + url);
  }
}

// The CPU stage: every "D" row is D,DISPATCH,UNIT_SCADA,1,"<settlement time>",<unit>,<MW>,"<changed>".
// The last line, C,"END OF REPORT",<lines>, says how many lines the file has: a check that it all came.
MonthStats process(std::string_view csv) {
  MonthStats stats;
  long lines = 0, promised = -1;
  while (!csv.empty()) {
    const std::size_t eol = csv.find('\n');
    const std::string_view line = csv.substr(0, eol);
    csv.remove_prefix(eol == std::string_view::npos ? csv.size() : eol + 1);
    ++lines;
    std::string_view fields[8];
    std::size_t n = 0;
    for (std::string_view rest = line; n < 8; ++n) {
      const std::size_t comma = rest.find(',');
      fields[n] = rest.substr(0, comma);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (line.starts_with("D,") && n >= 6) {
      double value = 0;
      if (std::from_chars(fields[6].data(), fields[6].data() + fields[6].size(), value).ec != std::errc{}) {
        throw std::runtime_error("not a number: " + std::string(fields[6]));
      }
      stats[std::string(fields[5])].add(value);
    } else if (line.starts_with("C,\"END OF REPORT\",") && n >= 2) {
      promised = std::stol(std::string(fields[2]));
    }
  }
  if (promised != lines) throw std::runtime_error("the file is incomplete");
  return stats;
}

// ---- one month at a time ----

std::vector<Month> one_at_a_time(const std::vector<std::string>& urls, CURL* handle, Clock::time_point t0) {
  auto now = [t0] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  std::vector<Month> months(urls.size());
  for (std::size_t m = 0; m < urls.size(); ++m) {
    months[m].number = static_cast<int>(m + 1);
    months[m].download.start = now();
    download(handle, urls[m], months[m]);
    months[m].download.end = months[m].process.start = now();
    months[m].stats = process(months[m].csv);
    months[m].process.end = now();
    months[m].csv = std::string();  // done with it: only the statistics are kept
  }
  return months;
}

// ---- a pipeline: a downloader thread, a queue, a processing thread ----

// Months handed from the downloader to the processor; an empty optional means "no more months".
class MonthQueue {
 public:
  void put(std::optional<Month> month) {
    {
      std::scoped_lock lock(mutex_);
      months_.push_back(std::move(month));
    }
    ready_.notify_one();
  }

  // Blocks until there is a month (or the end), then takes the oldest.
  std::optional<Month> get() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return !months_.empty(); });
    std::optional<Month> month = std::move(months_.front());
    months_.pop_front();
    return month;
  }

 private:
  std::mutex mutex_;               // guards months_
  std::condition_variable ready_;  // put() notifies, get() waits
  std::deque<std::optional<Month>> months_;
};

std::vector<Month> pipeline(const std::vector<std::string>& urls, CURL* handle, Clock::time_point t0) {
  auto now = [t0] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  std::vector<Month> done;  // written by the processor only, read after the join
  MonthQueue queue;
  {
    std::jthread downloader([&] {
      try {
        for (std::size_t m = 0; m < urls.size(); ++m) {
          Month month;
          month.number = static_cast<int>(m + 1);
          month.download.start = now();
          download(handle, urls[m], month);
          month.download.end = now();
          queue.put(std::move(month));  // the processor may start on it; this thread starts the next
        }
      } catch (const std::exception& error) {
        std::fprintf(stderr, "%s\n", error.what());  // the processor sees fewer months than asked for
      }
      queue.put(std::nullopt);  // the stop sign, behind the last month
    });
    std::jthread processor([&] {
      while (std::optional<Month> month = queue.get()) {
        month->process.start = now();
        try {
          month->stats = process(month->csv);
        } catch (const std::exception& error) {
          std::fprintf(stderr, "month %d: %s\n", month->number, error.what());  // left out of `done`
          continue;
        }
        month->process.end = now();
        month->csv = std::string();  // done with it: only the statistics are kept
        done.push_back(std::move(*month));
      }
    });
  }  // both joined: `done` is complete
  return done;
}

// ---- the timeline ----

// One row of the timeline: in each column, the month this stage was busy with during that slice of
// time (1-9, then a, b, c; the later one where two meet), or '.' when it had nothing to do. A span
// shorter than a column still marks one.
std::string timeline_row(const std::vector<Month>& months, Span Month::*stage, double scale, int columns) {
  std::string row(columns, '.');
  for (int c = 0; c < columns; ++c) {
    const double from = c * scale / columns, to = (c + 1) * scale / columns;
    for (const Month& month : months) {
      if ((month.*stage).start < to && (month.*stage).end > from) row[c] = "0123456789abc"[month.number];
    }
  }
  return row;
}

// How much of the processing happened while a download was in progress: the overlap of the two.
double overlap(const std::vector<Month>& months) {
  double both = 0;
  for (const Month& p : months) {
    for (const Month& d : months) {
      both += std::max(0.0, std::min(p.process.end, d.download.end) - std::max(p.process.start, d.download.start));
    }
  }
  return both;
}

void print_run(const char* label, const l03::Timed<std::vector<Month>>& run, double scale) {
  double downloading = 0, processing = 0;
  for (const Month& month : run.result) {
    downloading += month.download.end - month.download.start;
    processing += month.process.end - month.process.start;
  }
  std::printf(
      "%-13s %.3f s wall, cores busy %.2f: downloads %.3f s, processing %.3f s (%.3f s of it during downloads)\n",
      label, run.wall, run.cores_busy, downloading, processing, overlap(run.result));
  constexpr int kColumns = 72;
  std::printf("  download |%s|\n", timeline_row(run.result, &Month::download, scale, kColumns).c_str());
  std::printf("  process  |%s|\n", timeline_row(run.result, &Month::process, scale, kColumns).c_str());
}

bool same_stats(const std::vector<Month>& a, const std::vector<Month>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t m = 0; m < a.size(); ++m) {
    if (a[m].number != b[m].number || a[m].stats.size() != b[m].stats.size()) return false;
    for (const auto& [unit, stats] : a[m].stats) {
      const auto other = b[m].stats.find(unit);
      if (other == b[m].stats.end() || other->second.count != stats.count || other->second.mean != stats.mean ||
          other->second.m2 != stats.m2) {
        return false;
      }
    }
  }
  return true;
}

int main(int argc, char** argv) {
  const int months = argc > 1 ? std::atoi(argv[1]) : 4;  // the Python lecture's four
  const int units = argc > 2 ? std::atoi(argv[2]) : 8;
  const long rate = argc > 3 ? std::atol(argv[3]) : 100'000'000;
  if (months < 1 || months > 12 || units < 1 || units > 64 || rate <= 0) {
    std::fprintf(stderr, "usage: mixed_pipeline [months 1-12] [units 1-64] [bytes a second]\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);  // once, before any thread starts
  std::vector<std::string> urls;
  for (int m = 1; m <= months; ++m) {
    urls.push_back(parlab::fixture_url() + "/scada/2021/" + std::to_string(m) + ".csv?units=" + std::to_string(units) +
                   "&rate=" + std::to_string(rate));
  }
  std::string ignored;
  const EasyHandle handle = make_get(urls[0], &ignored);  // one connection, reused month after month

  l05::print_machine();
  std::printf("%d monthly files of %d units, sent at %.0f MB/s\n", months, units, static_cast<double>(rate) / 1e6);
  const auto serial = l03::timed([&] { return one_at_a_time(urls, handle.get(), Clock::now()); });
  const auto piped = l03::timed([&] { return pipeline(urls, handle.get(), Clock::now()); });
  const double scale = std::max(serial.wall, piped.wall);
  print_run("one at a time", serial, scale);
  print_run("pipeline", piped, scale);

  int shown = 0;  // the first two units of January, as a sample of what the processing made
  for (const auto& [unit, stats] : serial.result.front().stats) {
    if (shown++ == 2) break;
    std::printf("2021/01 %s: %ld readings, mean %8.3f MW, std %7.3f MW\n", unit.c_str(), stats.count, stats.mean,
                stats.stddev());
  }
  const bool same = same_stats(serial.result, piped.result);
  std::printf("%s\n", same ? "the same statistics both ways, every month" : "the two ways disagree");
  curl_global_cleanup();
  return same ? 0 : 1;
}
