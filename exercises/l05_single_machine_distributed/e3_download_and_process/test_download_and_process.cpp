// Test: exercise 5.3 download_and_process, public tests. You may add your own.
//
// Every test talks to the tests' own fixture server, whose monthly files are known line for line
// (fixture_files.hpp), so the statistics can also be checked against a computation of the tests'
// own, not only against the baseline.
//   StatisticsMatchAnIndependentComputation  two months, three units, against a two-pass mean and
//                                            standard deviation computed here
//   OneMonthMatchesTheBaseline               caps 1 and 4
//   ThreeMonthsMatchTheBaselineForSeveralCaps  caps 1, 2, 3 and 8
//   ResultsComeInInputOrder                  a slow first month still comes back first; the
//                                            settlements in time order whatever the input order
//   EachMonthIsRequestedOnce                 the server counts one request per month
//   TheCapIsNeverExceeded                    the server's peak of requests in flight, caps 1 and 2
//   ZeroCapIsRejectedBeforeAnyRequest
// That the downloads overlap at all is not a test, since the sequential starter must pass every
// test: the grader's timed runs check it (README: What the grader checks).
// A test that runs past its PARLAB_WITHIN deadline means the call never finished: a processor
// waiting on a queue nobody closed, a transfer never reaped, or a join that waits forever.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "download_and_process.hpp"
#include "download_and_process_testing.hpp"

namespace {

using namespace std::chrono_literals;
using namespace parlab::scada_testing;
using parlab::download_and_process;
using parlab::download_and_process_sequential;
using parlab::MonthResult;
using parlab::SettlementStats;
using parlab::YearReport;

TEST(DownloadAndProcess, StatisticsMatchAnIndependentComputation) {
  PARLAB_WITHIN(60s, kHang) {
    const std::vector<MonthFile> files = {month_file(2021, 4, 3), month_file(2021, 5, 3)};
    const YearReport report = download_and_process(urls_of(files), 2);
    ASSERT_EQ(report.months.size(), 2u);
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string text = file_text(files[i]);
      EXPECT_EQ(report.months[i], (MonthResult{url_of(files[i]), 200, text.size(), rows_of(files[i]), ""}));
    }
    expect_same_settlements(report.settlements, independent_stats({file_text(files[0]), file_text(files[1])}));
    ASSERT_FALSE(report.settlements.empty());
    EXPECT_EQ(report.settlements.front().time, "2021/04/01 00:05:00");
    EXPECT_EQ(report.settlements.back().time, "2021/06/01 00:00:00") << "May's last time is midnight on June 1";
  };
}

TEST(DownloadAndProcess, OneMonthMatchesTheBaseline) {
  PARLAB_WITHIN(60s, kHang) {
    const std::vector<std::string> urls = urls_of({month_file(2022, 2, 4)});
    const YearReport expected = download_and_process_sequential(urls);
    ASSERT_TRUE(expected.months.at(0).ok()) << expected.months[0].error;
    for (unsigned cap : {1u, 4u}) {
      SCOPED_TRACE("max_in_flight = " + std::to_string(cap));
      expect_same_report(download_and_process(urls, cap), expected);
    }
  };
}

TEST(DownloadAndProcess, ThreeMonthsMatchTheBaselineForSeveralCaps) {
  PARLAB_WITHIN(90s, kHang) {
    const std::vector<std::string> urls = urls_of(
        {month_file(2023, 7, 2, 8'000'000), month_file(2023, 8, 2, 8'000'000), month_file(2023, 9, 2, 8'000'000)});
    const YearReport expected = download_and_process_sequential(urls);
    for (unsigned cap : {1u, 2u, 3u, 8u}) {
      SCOPED_TRACE("max_in_flight = " + std::to_string(cap));
      expect_same_report(download_and_process(urls, cap), expected);
    }
  };
}

TEST(DownloadAndProcess, ResultsComeInInputOrder) {
  PARLAB_WITHIN(60s, kHang) {
    // March comes first and slowly (about 0.7 MB at 1 MB/s); January and February are quick and,
    // downloaded at the same time, finish first. The months' results still follow the input; the
    // settlements follow the clock.
    const std::vector<MonthFile> files = {month_file(2021, 3, 1, 1'000'000), month_file(2021, 1), month_file(2021, 2)};
    const std::vector<std::string> urls = urls_of(files);
    const YearReport report = download_and_process(urls, 3);
    ASSERT_EQ(report.months.size(), 3u);
    for (std::size_t i = 0; i < urls.size(); ++i) {
      EXPECT_EQ(report.months[i].url, urls[i]) << "result " << i << " is not for URL " << i;
      EXPECT_EQ(report.months[i].rows, rows_of(files[i])) << urls[i];
    }
    EXPECT_TRUE(std::is_sorted(report.settlements.begin(), report.settlements.end(),
                               [](const SettlementStats& a, const SettlementStats& b) { return a.time < b.time; }))
        << "the settlements must be in time order";
    ASSERT_FALSE(report.settlements.empty());
    EXPECT_EQ(report.settlements.front().time, "2021/01/01 00:05:00");
    expect_same_settlements(report.settlements,
                            independent_stats({file_text(files[0]), file_text(files[1]), file_text(files[2])}));
  };
}

TEST(DownloadAndProcess, EachMonthIsRequestedOnce) {
  PARLAB_WITHIN(60s, kHang) {
    known_seed_server().reset_stats();
    std::vector<MonthFile> files;
    for (unsigned month = 6; month <= 10; ++month) files.push_back(month_file(2020, month));
    const YearReport report = download_and_process(urls_of(files), 3);
    EXPECT_EQ(report.months.size(), 5u);
    EXPECT_EQ(scada_requests(), 5u) << "every month must be requested exactly once";
  };
}

TEST(DownloadAndProcess, TheCapIsNeverExceeded) {
  PARLAB_WITHIN(60s, kHang) {
    // Slow enough (about 0.2 s a month) that downloads started together are in flight together.
    std::vector<MonthFile> files;
    for (unsigned month = 1; month <= 5; ++month) files.push_back(month_file(2019, month, 1, 4'000'000));
    const std::vector<std::string> urls = urls_of(files);
    for (unsigned cap : {1u, 2u}) {
      known_seed_server().reset_stats();
      const YearReport report = download_and_process(urls, cap);
      EXPECT_EQ(report.months.size(), 5u);
      EXPECT_LE(scada_peak_in_flight(), cap) << "more downloads at once than max_in_flight = " << cap;
    }
  };
}

TEST(DownloadAndProcess, ZeroCapIsRejectedBeforeAnyRequest) {
  known_seed_server().reset_stats();
  EXPECT_THROW(download_and_process(urls_of({month_file(2021, 1)}), 0), std::invalid_argument);
  EXPECT_EQ(scada_requests(), 0u) << "no request may be made";
}

}  // namespace
