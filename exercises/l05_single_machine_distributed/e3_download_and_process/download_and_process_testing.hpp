// Test support, given: what the public and the hidden tests of exercise 5.3 share.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "download_and_process.hpp"
#include "fixture_files.hpp"
#include "fixture_server.hpp"

namespace parlab {

// How GoogleTest prints results when an expectation fails.
inline void PrintTo(const MonthResult& r, std::ostream* os) {
  *os << "{url " << r.url << ", status " << r.status << ", bytes " << r.bytes << ", rows " << r.rows << ", error \""
      << r.error << "\"}";
}

inline void PrintTo(const SettlementStats& s, std::ostream* os) {
  *os << "{" << s.time << ", count " << s.count << ", mean " << s.mean << ", stddev " << s.stddev << "}";
}

namespace scada_testing {

// A fixture server of the tests' own, with a seed they know, so that every month's file follows from
// fixture_files.hpp, and its request counts belong to this test binary alone (tests run one after
// another; each resets the counts first). Started on first use; deliberately leaked, since tests may
// still talk to it while static destructors run.
inline constexpr std::uint64_t kKnownSeed = 5303;

inline fixture::Server& known_seed_server() {
  static auto* server = new fixture::Server(fixture::Options{.seed = kKnownSeed});
  return *server;
}

// One month's file and how the server is asked to send it.
struct MonthFile {
  unsigned year = 2021;
  unsigned month = 1;
  unsigned units = 1;                           // readings per settlement time (a 31-day month of
                                                // one unit is about 0.7 MB)
  std::uint64_t rate = 0;                       // bytes per second per connection; 0: at once
  std::optional<std::uint64_t> malformed_line;  // that line loses its last two fields
  bool empty = false;                           // a file of zero bytes
};

// A good month's file; set malformed_line or empty on the result for a bad one.
inline MonthFile month_file(unsigned year, unsigned month, unsigned units = 1, std::uint64_t rate = 0) {
  MonthFile file;
  file.year = year;
  file.month = month;
  file.units = units;
  file.rate = rate;
  return file;
}

// "<server>/scada/<year>/<month>.csv?units=U[&rate=B][&malformed=L][&empty=1]".
inline std::string url_of(const MonthFile& file) {
  std::string url = known_seed_server().url() + "/scada/" + std::to_string(file.year) + "/" +
                    std::to_string(file.month) + ".csv?units=" + std::to_string(file.units);
  if (file.rate > 0) url += "&rate=" + std::to_string(file.rate);
  if (file.malformed_line) url += "&malformed=" + std::to_string(*file.malformed_line);
  if (file.empty) url += "&empty=1";
  return url;
}

inline std::vector<std::string> urls_of(const std::vector<MonthFile>& files) {
  std::vector<std::string> urls;
  for (const MonthFile& file : files) urls.push_back(url_of(file));
  return urls;
}

// Any other path on the known server: "<server><path>" ("/fault/truncate", ...).
inline std::string known_url(const std::string& path) { return known_seed_server().url() + path; }

inline std::uint64_t scada_requests() { return known_seed_server().stats().at("scada").requests; }
inline std::uint64_t scada_peak_in_flight() { return known_seed_server().stats().at("scada").peak_in_flight; }

// What the known server sends for a good month: the file's text.
inline std::string file_text(const MonthFile& file) {
  fixture::ScadaOptions options;
  options.units = file.units;
  const std::optional<std::string> csv = fixture::scada_csv(kKnownSeed, file.year, file.month, options);
  if (!csv) throw std::invalid_argument("the fixture serves no such month");
  return *csv;
}

// The 5-minute settlement times of a month, each with one reading per unit.
inline std::uint64_t rows_of(const MonthFile& file) {
  return static_cast<std::uint64_t>(fixture::scada_intervals(file.year, file.month)) * file.units;
}

// The statistics of good months' files, computed apart from the code under test: every D row's
// quoted time and its value, collected per time, then a mean and a sample standard deviation by the
// two-pass formula (the mean first, then the squared deviations from it).
inline std::vector<SettlementStats> independent_stats(const std::vector<std::string>& texts) {
  std::map<std::string, std::vector<double>> readings;
  for (const std::string& text : texts) {
    std::string_view rest(text);
    while (!rest.empty()) {
      const std::size_t eol = rest.find('\n');
      const std::string_view line = rest.substr(0, eol);
      rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
      if (!line.starts_with("D,")) continue;
      // D,DISPATCH,UNIT_SCADA,1,"<time>",<unit>,<value>,"<changed>": the time between the first two
      // quotes, the value between the 6th and 7th commas.
      const std::size_t open = line.find('"'), close = line.find('"', open + 1);
      std::size_t comma = 0;
      for (int i = 0; i < 6; ++i) comma = line.find(',', comma + 1);
      const std::size_t next = line.find(',', comma + 1);
      const std::string_view value = line.substr(comma + 1, next - comma - 1);
      double x = 0;
      std::from_chars(value.data(), value.data() + value.size(), x);
      readings[std::string(line.substr(open + 1, close - open - 1))].push_back(x);
    }
  }
  std::vector<SettlementStats> stats;
  for (const auto& [time, xs] : readings) {
    double sum = 0;
    for (double x : xs) sum += x;
    const double mean = sum / static_cast<double>(xs.size());
    double squares = 0;
    for (double x : xs) squares += (x - mean) * (x - mean);
    const double stddev = xs.size() > 1 ? std::sqrt(squares / static_cast<double>(xs.size() - 1)) : 0.0;
    stats.push_back(SettlementStats{time, xs.size(), mean, stddev});
  }
  return stats;
}

// Equal within the API's relative 1e-9 (values near zero: within 1e-9).
inline bool close_enough(double actual, double expected) {
  return std::abs(actual - expected) <= 1e-9 * std::max(1.0, std::abs(expected));
}

// The same settlement times in the same order, the same counts, means and standard deviations
// within 1e-9; a failure names the first settlement that differs.
inline void expect_same_settlements(const std::vector<SettlementStats>& actual,
                                    const std::vector<SettlementStats>& expected) {
  ASSERT_EQ(actual.size(), expected.size()) << "one entry per settlement time expected";
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const SettlementStats& a = actual[i];
    const SettlementStats& e = expected[i];
    ASSERT_TRUE(a.time == e.time && a.count == e.count && close_enough(a.mean, e.mean) &&
                close_enough(a.stddev, e.stddev))
        << "first difference at settlement " << i << ": " << ::testing::PrintToString(a) << ", expected "
        << ::testing::PrintToString(e);
  }
}

// Months equal, one for one; settlements as above.
inline void expect_same_report(const YearReport& actual, const YearReport& expected) {
  ASSERT_EQ(actual.months.size(), expected.months.size()) << "one result per URL expected";
  for (std::size_t i = 0; i < actual.months.size(); ++i) {
    EXPECT_EQ(actual.months[i], expected.months[i]) << "month " << i << " differs";
  }
  expect_same_settlements(actual.settlements, expected.settlements);
}

// What a test says when download_and_process hangs.
inline constexpr const char* kHang =
    "download_and_process never returned: a processor waiting on a queue nobody closed, a transfer never "
    "reaped, or a join that waits forever";

}  // namespace scada_testing
}  // namespace parlab
