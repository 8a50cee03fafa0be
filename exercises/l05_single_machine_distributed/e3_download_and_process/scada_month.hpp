// Given, do not modify: one month's file from download to statistics, shared by the baseline and the
// student file of exercise 5.3 (download_and_process), so that both download, parse and merge alike
// and the exercise is only about how the stages are run.
//
//   make_session()                        an easy handle with the transfer rules below
//   Month                                 one month on its way: its result, its body, its statistics
//   start_download(handle, month)         one download in two halves: before curl_easy_perform or
//   finish_download(handle, code, month)  curl_multi_add_handle, and once the transfer has ended
//   process(month)                        the CPU stage: the body parsed into per-time statistics
//   summarize(months)                     the months merged into the YearReport, in input order
//   usable_cores()                        how many CPUs this process may run on
//
// Header-only, like the other exercises' fetch helpers: each build compiles just the baseline and
// the student file, and both include this.
#pragma once

#include <curl/curl.h>
#include <sched.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "curl_session.hpp"
#include "download_and_process.hpp"

namespace parlab::scada {

// ---- Sessions -------------------------------------------------------------------------------

// An owned libcurl easy handle (a "session": it keeps its connection open between transfers).
// One handle serves one transfer at a time: never use one from two threads at once.
using EasyHandle = curl::EasyHandle;

// A transfer that moves less than 1 byte per second for this long has stalled and ends with
// CURLE_OPERATION_TIMEDOUT. There is no limit on a transfer's whole time: a slow server may rightly
// take a while over a month.
inline constexpr long kStallSeconds = 30;

// A new handle with the transfer rules: GET, redirects NOT followed, 10 s to connect
// (curl::new_easy_handle), a stall of 30 s ends the transfer. Throws std::runtime_error when
// libcurl cannot create one. Thread-safe once curl_global_init() has run: each call makes an
// independent handle.
inline EasyHandle make_session() {
  EasyHandle handle = curl::new_easy_handle();
  curl_easy_setopt(handle.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(handle.get(), CURLOPT_LOW_SPEED_TIME, kStallSeconds);
  return handle;
}

// ---- Statistics -----------------------------------------------------------------------------

// The running statistics of one settlement time, by Welford's method: a running mean and sum of
// squared deviations, updated one reading at a time. Unlike the textbook sum of squares minus the
// square of the sum, it never subtracts two large, nearly equal numbers, so it stays accurate when
// the readings are large and close together.
struct Running {
  std::uint64_t count = 0;
  double mean = 0;
  double m2 = 0;  // the sum of squared deviations from the mean

  void add(double x) noexcept {
    ++count;
    const double delta = x - mean;
    mean += delta / static_cast<double>(count);
    m2 += delta * (x - mean);
  }

  // Pools another set of readings into this one (Chan, Golub and LeVeque's pairwise update), as if
  // its readings had been added here. With an empty side it copies the other exactly.
  void merge(const Running& other) noexcept {
    if (other.count == 0) return;
    if (count == 0) {
      *this = other;
      return;
    }
    const double n_a = static_cast<double>(count), n_b = static_cast<double>(other.count);
    const double n = n_a + n_b;
    const double delta = other.mean - mean;
    mean += delta * n_b / n;
    m2 += other.m2 + delta * delta * n_a * n_b / n;
    count += other.count;
  }

  // Sample standard deviation (n - 1, like pandas' std()); 0 for a single reading.
  double stddev() const noexcept { return count > 1 ? std::sqrt(m2 / static_cast<double>(count - 1)) : 0.0; }
};

// A month's statistics, keyed by SETTLEMENTDATE. std::less<> lets a std::string_view look a key up
// without making a string.
using MonthStats = std::map<std::string, Running, std::less<>>;

// One month on its way through the stages. Its body is the download's sink: a Month must stay at
// one address from start_download to finish_download (libcurl keeps a pointer to the body), so keep
// months in a container sized once, or on the heap. Not thread-safe: one stage, and so one thread,
// works on a month at a time; handing it over (a queue with a mutex) orders the two.
struct Month {
  MonthResult result;  // url set by the caller; the rest filled in by the stages
  std::string body;    // the downloaded file, from finish_download until process frees it
  MonthStats stats;    // from process; empty for a failed month
};

// ---- Downloads ------------------------------------------------------------------------------

// The first half of one download: points `handle` at month.result.url with month.body as its sink.
// Then run the handle (curl_easy_perform, or curl_multi_add_handle); `month` must stay where it is
// until finish_download. Never throws but std::bad_alloc.
inline void start_download(CURL* handle, Month& month) {
  month.body.clear();
  curl_easy_setopt(handle, CURLOPT_URL, month.result.url.c_str());  // libcurl copies the text
  // The body goes whole into the month's string: a few MB, and processing needs all of it anyway.
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, curl::append_to_string);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, static_cast<void*>(&month.body));
}

// The second half, once the transfer has ended with `code` (curl_easy_perform's return, or the
// CURLMsg's data.result): records the status, and the error when the transfer failed or the status
// is not 200, in which case the body is dropped. Does not process the body. Never throws but
// std::bad_alloc.
inline void finish_download(CURL* handle, CURLcode code, Month& month) {
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));  // the sink ends here
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  MonthResult& result = month.result;
  result.status = status;
  if (code != CURLE_OK) {
    result.error = curl_easy_strerror(code);
  } else if (status != 200) {
    result.error = "HTTP status " + std::to_string(status);
  }
  if (result.ok()) {
    result.bytes = month.body.size();
  } else {
    month.body = std::string();  // its memory too
  }
}

// ---- Processing -----------------------------------------------------------------------------
//
// The file is the market operator's CSV: every line starts with its record type.
//   C,...                                          a comment; the first line is one
//   C,"END OF REPORT",<n>                          the last line; n is the file's number of lines
//   I,DISPATCH,UNIT_SCADA,1,SETTLEMENTDATE,DUID,SCADAVALUE,LASTCHANGED     the header, before rows
//   D,DISPATCH,UNIT_SCADA,1,"2021/01/01 00:05:00",UNIT01,123.456,"2021/01/01 00:04:40"   a row
// There is no CSV library in parlab's stack (DESIGN.md), and this format needs little: fields are
// split at every comma, and a field in double quotes loses its quotes. Quoted fields here never
// hold a comma, a quote or a newline, so nothing more of CSV's quoting is read. Lines end in "\n"
// (a "\r" before it is dropped); a blank line is skipped (it still counts for the line numbers).
//
// A file passes when it has an I header before its first D row, at least one D row, and an
// END OF REPORT line that counts the lines correctly, with nothing after it. The first line that
// breaks a rule fails the whole month with one of these errors (L: its line number, from 1):
//   "line L: expected 8 fields, found F"             an I or D line with another number of fields
//   "line L: not the UNIT_SCADA header"              an I line with other column names
//   "line L: a D row before the I header"
//   "line L: SCADAVALUE '<text>' is not a number"
//   "line L: unknown record type '<text>'"           the first field is not C, I or D
//   "line L: END OF REPORT counts N lines"           its number is not L
//   "line L: a line after END OF REPORT"
//   "no rows"                                        no D row at all (an empty file included)
//   "no END OF REPORT line"                          rows, but the file stops short of its end line
// pandas' read_csv(skiprows=1) in the Python lecture reads the same rows (and reads the END OF
// REPORT line as a row of blanks, which groupby then drops).

namespace detail {

inline constexpr std::size_t kFields = 8;  // I and D lines: the 4 record fields and 4 columns

// Splits `line` at its commas. Stores the first kFields fields, without their surrounding quotes,
// in `fields`, and returns how many fields the line has (possibly more than it stores).
inline std::size_t split_fields(std::string_view line, std::array<std::string_view, kFields>& fields) {
  std::size_t n = 0;
  for (;;) {
    const std::size_t comma = line.find(',');
    std::string_view field = line.substr(0, comma);
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
    if (n < kFields) fields[n] = field;
    ++n;
    if (comma == std::string_view::npos) return n;
    line.remove_prefix(comma + 1);
  }
}

// `text` for an error message: at most 40 characters of it.
inline std::string shown(std::string_view text) {
  constexpr std::size_t kShown = 40;
  return std::string(text.substr(0, kShown)) + (text.size() > kShown ? "..." : "");
}

inline std::string at_line(std::uint64_t line, const std::string& what) {
  return "line " + std::to_string(line) + ": " + what;
}

}  // namespace detail

// Parses a whole file into `stats` (added to what it holds) and counts its D rows in `rows`.
// Returns the error of the first line that breaks the rules above, or an empty string. On an error,
// `stats` and `rows` hold what was read before it: the caller drops them. Pure: thread-safe for
// different outputs.
inline std::string parse_month(std::string_view csv, MonthStats& stats, std::uint64_t& rows) {
  std::array<std::string_view, detail::kFields> fields;
  bool seen_header = false, seen_end = false;
  // Rows come grouped by settlement time: the last time's statistics are kept at hand, so most
  // rows skip the map's lookup (a map node never moves, so the pointer stays good).
  std::string_view last_time;
  Running* last = nullptr;
  std::uint64_t line_number = 0;
  while (!csv.empty()) {
    const std::size_t eol = csv.find('\n');
    std::string_view line = csv.substr(0, eol);
    csv.remove_prefix(eol == std::string_view::npos ? csv.size() : eol + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (seen_end) return detail::at_line(line_number, "a line after END OF REPORT");

    const std::size_t n = detail::split_fields(line, fields);
    const std::string_view type = fields[0];
    if (type == "D") {
      if (!seen_header) return detail::at_line(line_number, "a D row before the I header");
      if (n != detail::kFields) {
        return detail::at_line(line_number, "expected 8 fields, found " + std::to_string(n));
      }
      const std::string_view text = fields[6];
      double value = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
        return detail::at_line(line_number, "SCADAVALUE '" + detail::shown(text) + "' is not a number");
      }
      const std::string_view time = fields[4];
      if (last == nullptr || time != last_time) {
        // Times ascend, so a new time belongs at the end: the hint makes that insertion cheap.
        const auto it = stats.try_emplace(stats.end(), std::string(time));
        last = &it->second;
        last_time = it->first;
      }
      last->add(value);
      ++rows;
    } else if (type == "C") {
      if (n >= 2 && fields[1] == "END OF REPORT") {
        std::uint64_t counted = 0;
        const std::string_view text = n >= 3 ? fields[2] : std::string_view();
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), counted);
        if (ec != std::errc{} || end != text.data() + text.size() || counted != line_number) {
          return detail::at_line(line_number, "END OF REPORT counts " + detail::shown(text) + " lines");
        }
        seen_end = true;
      }
    } else if (type == "I") {
      if (n != detail::kFields) {
        return detail::at_line(line_number, "expected 8 fields, found " + std::to_string(n));
      }
      if (fields[4] != "SETTLEMENTDATE" || fields[5] != "DUID" || fields[6] != "SCADAVALUE" ||
          fields[7] != "LASTCHANGED") {
        return detail::at_line(line_number, "not the UNIT_SCADA header");
      }
      seen_header = true;
    } else {
      return detail::at_line(line_number, "unknown record type '" + detail::shown(type) + "'");
    }
  }
  if (rows == 0) return "no rows";
  if (!seen_end) return "no END OF REPORT line";
  return "";
}

// The CPU stage: parses a downloaded month's body into month.stats and month.result.rows, or records
// the parse error (and then keeps no statistics), then frees the body. A month that failed to
// download is left as it is. About 5 ms for a month of 2 units on the course machine.
// Never throws but std::bad_alloc. Thread-safe for different months.
inline void process(Month& month) {
  if (month.result.ok()) {
    std::uint64_t rows = 0;
    std::string error = parse_month(month.body, month.stats, rows);
    if (error.empty()) {
      month.result.rows = rows;
    } else {
      month.result.error = std::move(error);
      month.stats.clear();
    }
  }
  month.body = std::string();  // done with it: only the statistics are kept
}

// The report: every month's result in the order of `months`, and the statistics of every month that
// succeeded, pooled per settlement time, in time order. Merges the months in the order given, so
// two calls with equal months return bit-for-bit equal reports. Takes the months' statistics (moves
// them out). Never throws but std::bad_alloc. Not thread-safe for the same months.
inline YearReport summarize(std::vector<Month>& months) {
  YearReport report;
  report.months.reserve(months.size());
  MonthStats pooled;
  for (Month& month : months) {
    report.months.push_back(month.result);
    if (!month.result.ok()) continue;
    pooled.merge(month.stats);  // moves over every time `pooled` does not have yet, as it is
    for (const auto& [time, running] : month.stats) pooled.find(time)->second.merge(running);  // the rest
    month.stats.clear();
  }
  report.settlements.reserve(pooled.size());
  for (const auto& [time, running] : pooled) {
    report.settlements.push_back(SettlementStats{time, running.count, running.mean, running.stddev()});
  }
  return report;
}

// ---- Machine --------------------------------------------------------------------------------

// The CPUs this process may run on: its affinity mask (lecture 5: size CPU pools by the mask, not
// by the CPUs the hardware has). At least 1. Thread-safe.
inline unsigned usable_cores() noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  const int count = CPU_COUNT(&set);
  return count > 0 ? static_cast<unsigned>(count) : 1u;
}

}  // namespace parlab::scada
