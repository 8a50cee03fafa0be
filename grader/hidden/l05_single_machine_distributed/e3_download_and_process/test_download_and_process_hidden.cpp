// Hidden test: exercise 5.3 download_and_process, the grader's own cases beyond the public tests.
//
//   ZeroMonthsMakesNoRequestAndStartsNoThread  an empty list: an empty report, for any cap
//   AMissingMonthIsReportedAndTheRestProcessed month 13 (404): its error, the others' statistics
//   AnEmptyFileIsRecordedAsNoRows              a body of zero bytes: status 200, "no rows"
//   AMalformedRowIsNamedByItsLineNumber        a D row cut short: "line L: expected 8 fields, found 6",
//                                              and none of that month's rows in the settlements
//   AMalformedHeaderIsNamedToo                 the I line cut short: line 2
//   AFileWithoutItsEndLineFails                the END OF REPORT line cut: "no END OF REPORT line"
//   ARefusedConnectionIsRecorded               nothing listens: libcurl's error, status 0
//   ATruncatedTransferIsAFailedMonth           the body cut off: libcurl's partial-file error
//   NotACsvFileIsAFailedMonth                  an HTML page: the first line named
//   TheSameMonthTwicePoolsItsReadings          one URL twice: two requests, counts doubled
//   AWholeLeapYearMatchesTheBaseline           12 months of 2024, 366 x 288 settlement times
//   MatchesTheBaselineWithEveryKindOfFailure   good and failed months mixed, caps 1 to 7
//   FailuresDoNotStallTheWindow                a window of 2 through a row of failures
//   MoreMonthsThanTheCapEachRequestedOnce      9 months under a cap of 2, within the cap
//   CallsFromSeveralThreads                    three calls at once, each its own report
//   ThreadsAreJoined                           no thread of a call outlives it
// Like the public tests, none asks the downloads to overlap: the sequential starter must pass
// every test, and the timed runs are the evidence of overlap.
// A test that runs past its PARLAB_WITHIN deadline means the call never finished: a processor
// waiting on a queue nobody closed (often after a failed month), a transfer never reaped, or a join
// that waits forever.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
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

std::string curl_error(CURLcode code) { return curl_easy_strerror(code); }

// The ids of this process's threads right now. Ids, not a count: a thread joined just before
// (the previous test's runner) can linger in /proc for a moment after its join returns, because
// the kernel wakes the joiner before it removes the task; a count then drops during the call
// and hides a thread the call left behind.
std::set<std::string> thread_ids() {
  std::set<std::string> ids;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    ids.insert(task.path().filename().string());
  }
  return ids;
}

// The threads in `now` that were not in `before`.
std::vector<std::string> new_threads(const std::set<std::string>& before, const std::set<std::string>& now) {
  std::vector<std::string> added;
  std::ranges::set_difference(now, before, std::back_inserter(added));
  return added;
}

MonthFile malformed(MonthFile file, std::uint64_t line) {
  file.malformed_line = line;
  return file;
}

MonthFile emptied(MonthFile file) {
  file.empty = true;
  return file;
}

// The line number of a month's END OF REPORT line: the comment, the header, the rows, then it.
std::uint64_t end_line_of(const MonthFile& file) { return 2 + rows_of(file) + 1; }

TEST(DownloadAndProcessHidden, ZeroMonthsMakesNoRequestAndStartsNoThread) {
  PARLAB_WITHIN(20s, kHang) {
    known_seed_server().reset_stats();
    for (unsigned cap : {1u, 12u}) {
      const YearReport report = download_and_process({}, cap);
      EXPECT_TRUE(report.months.empty()) << "max_in_flight = " << cap;
      EXPECT_TRUE(report.settlements.empty()) << "max_in_flight = " << cap;
    }
    EXPECT_EQ(known_seed_server().stats().at("total").requests, 0u) << "an empty list makes no request";
  };
}

TEST(DownloadAndProcessHidden, AMissingMonthIsReportedAndTheRestProcessed) {
  PARLAB_WITHIN(60s, kHang) {
    const std::vector<MonthFile> files = {month_file(2021, 11, 2), month_file(2021, 13, 2), month_file(2021, 12, 2)};
    const std::vector<std::string> urls = urls_of(files);
    for (unsigned cap : {1u, 3u}) {
      SCOPED_TRACE("max_in_flight = " + std::to_string(cap));
      const YearReport report = download_and_process(urls, cap);
      ASSERT_EQ(report.months.size(), 3u);
      EXPECT_EQ(report.months[1], (MonthResult{urls[1], 404, 0, 0, "HTTP status 404"}));
      EXPECT_EQ(report.months[0], (MonthResult{urls[0], 200, file_text(files[0]).size(), rows_of(files[0]), ""}));
      EXPECT_EQ(report.months[2], (MonthResult{urls[2], 200, file_text(files[2]).size(), rows_of(files[2]), ""}));
      expect_same_settlements(report.settlements, independent_stats({file_text(files[0]), file_text(files[2])}));
    }
  };
}

TEST(DownloadAndProcessHidden, AnEmptyFileIsRecordedAsNoRows) {
  PARLAB_WITHIN(60s, kHang) {
    const std::vector<MonthFile> files = {emptied(month_file(2022, 3)), month_file(2022, 4)};
    const std::vector<std::string> urls = urls_of(files);
    const YearReport report = download_and_process(urls, 2);
    ASSERT_EQ(report.months.size(), 2u);
    EXPECT_EQ(report.months[0], (MonthResult{urls[0], 200, 0, 0, "no rows"}));
    EXPECT_TRUE(report.months[1].ok()) << report.months[1].error;
    expect_same_settlements(report.settlements, independent_stats({file_text(files[1])}));
  };
}

TEST(DownloadAndProcessHidden, AMalformedRowIsNamedByItsLineNumber) {
  PARLAB_WITHIN(60s, kHang) {
    // Four units: line 4127 is a D row in the middle of the month.
    const std::vector<MonthFile> files = {month_file(2020, 5, 4), malformed(month_file(2020, 6, 4), 4127),
                                          month_file(2020, 7, 4)};
    const std::vector<std::string> urls = urls_of(files);
    const YearReport expected = download_and_process_sequential(urls);
    for (unsigned cap : {1u, 3u}) {
      SCOPED_TRACE("max_in_flight = " + std::to_string(cap));
      const YearReport report = download_and_process(urls, cap);
      ASSERT_EQ(report.months.size(), 3u);
      EXPECT_EQ(report.months[1].error, "line 4127: expected 8 fields, found 6");
      EXPECT_EQ(report.months[1].status, 200);
      EXPECT_EQ(report.months[1].rows, 0u) << "a failed month counts no rows";
      EXPECT_TRUE(report.months[0].ok() && report.months[2].ok()) << "the other months must complete";
      // None of June's rows, not even those before line 4127.
      expect_same_settlements(report.settlements, independent_stats({file_text(files[0]), file_text(files[2])}));
      expect_same_report(report, expected);
    }
  };
}

TEST(DownloadAndProcessHidden, AMalformedHeaderIsNamedToo) {
  PARLAB_WITHIN(60s, kHang) {
    const std::vector<std::string> urls = urls_of({malformed(month_file(2020, 8), 2)});
    const YearReport report = download_and_process(urls, 4);
    ASSERT_EQ(report.months.size(), 1u);
    EXPECT_EQ(report.months[0].error, "line 2: expected 8 fields, found 6");
    EXPECT_TRUE(report.settlements.empty());
  };
}

TEST(DownloadAndProcessHidden, AFileWithoutItsEndLineFails) {
  PARLAB_WITHIN(60s, kHang) {
    const MonthFile file = month_file(2020, 9);
    const std::vector<std::string> urls = urls_of({malformed(file, end_line_of(file)), file});
    const YearReport report = download_and_process(urls, 2);
    ASSERT_EQ(report.months.size(), 2u);
    EXPECT_EQ(report.months[0].error, "no END OF REPORT line") << "its last line lost the count";
    EXPECT_TRUE(report.months[1].ok()) << report.months[1].error;
    expect_same_settlements(report.settlements, independent_stats({file_text(file)}));
  };
}

TEST(DownloadAndProcessHidden, ARefusedConnectionIsRecorded) {
  PARLAB_WITHIN(60s, kHang) {
    const std::string refused = known_seed_server().refused_url() + "scada/2021/1.csv";
    const std::vector<std::string> urls = {url_of(month_file(2021, 6)), refused, url_of(month_file(2021, 7))};
    const YearReport report = download_and_process(urls, 3);
    ASSERT_EQ(report.months.size(), 3u);
    EXPECT_EQ(report.months[1], (MonthResult{refused, 0, 0, 0, curl_error(CURLE_COULDNT_CONNECT)}));
    EXPECT_TRUE(report.months[0].ok() && report.months[2].ok()) << "the other months must complete";
  };
}

TEST(DownloadAndProcessHidden, ATruncatedTransferIsAFailedMonth) {
  PARLAB_WITHIN(60s, kHang) {
    const std::vector<std::string> urls = {known_url("/fault/truncate?size=200000"), url_of(month_file(2021, 8))};
    const YearReport report = download_and_process(urls, 2);
    ASSERT_EQ(report.months.size(), 2u);
    EXPECT_EQ(report.months[0].error, curl_error(CURLE_PARTIAL_FILE));
    EXPECT_EQ(report.months[0].bytes, 0u) << "a failed transfer keeps no bytes";
    EXPECT_EQ(report.months[0].rows, 0u);
    EXPECT_TRUE(report.months[1].ok()) << report.months[1].error;
    expect_same_settlements(report.settlements, independent_stats({file_text(month_file(2021, 8))}));
  };
}

TEST(DownloadAndProcessHidden, NotACsvFileIsAFailedMonth) {
  PARLAB_WITHIN(60s, kHang) {
    const std::vector<std::string> urls = {known_url("/page/7"), url_of(month_file(2021, 9))};
    const YearReport expected = download_and_process_sequential(urls);
    const YearReport report = download_and_process(urls, 2);
    ASSERT_EQ(report.months.size(), 2u);
    EXPECT_TRUE(report.months[0].error.starts_with("line 1: unknown record type")) << report.months[0].error;
    expect_same_report(report, expected);
  };
}

TEST(DownloadAndProcessHidden, TheSameMonthTwicePoolsItsReadings) {
  PARLAB_WITHIN(60s, kHang) {
    const MonthFile file = month_file(2021, 10, 2);
    const std::vector<std::string> urls = {url_of(file), url_of(file)};
    known_seed_server().reset_stats();
    const YearReport report = download_and_process(urls, 2);
    EXPECT_EQ(scada_requests(), 2u) << "a URL listed twice is fetched twice";
    ASSERT_EQ(report.months.size(), 2u);
    EXPECT_EQ(report.months[0], report.months[1]);
    ASSERT_EQ(report.settlements.size(), rows_of(file) / 2) << "one entry per time, the two files pooled";
    EXPECT_EQ(report.settlements.front().count, 4u) << "2 units x 2 files";
    const std::string text = file_text(file);
    expect_same_settlements(report.settlements, independent_stats({text, text}));
  };
}

TEST(DownloadAndProcessHidden, AWholeLeapYearMatchesTheBaseline) {
  PARLAB_WITHIN(120s, kHang) {
    std::vector<MonthFile> files;
    for (unsigned month = 1; month <= 12; ++month) files.push_back(month_file(2024, month));
    const std::vector<std::string> urls = urls_of(files);
    const YearReport expected = download_and_process_sequential(urls);
    const YearReport report = download_and_process(urls, 12);
    expect_same_report(report, expected);
    EXPECT_EQ(report.settlements.size(), 366u * 288u) << "a leap year's 5-minute settlement times";
    ASSERT_FALSE(report.settlements.empty());
    EXPECT_EQ(report.settlements.back().time, "2025/01/01 00:00:00");
  };
}

TEST(DownloadAndProcessHidden, MatchesTheBaselineWithEveryKindOfFailure) {
  PARLAB_WITHIN(180s, kHang) {
    const std::vector<std::string> urls = {
        url_of(month_file(2018, 1, 2)),
        url_of(month_file(2018, 13)),
        url_of(emptied(month_file(2018, 2))),
        url_of(month_file(2018, 3, 3, 4'000'000)),
        url_of(malformed(month_file(2018, 4), 500)),
        known_url("/fault/truncate?size=3000"),
        url_of(month_file(2018, 5)),
        known_seed_server().refused_url(),
        known_url("/status/500"),
        url_of(month_file(2018, 6, 1, 4'000'000)),
    };
    const YearReport expected = download_and_process_sequential(urls);
    for (unsigned cap : {1u, 2u, 3u, 7u}) {
      SCOPED_TRACE("max_in_flight = " + std::to_string(cap));
      expect_same_report(download_and_process(urls, cap), expected);
    }
  };
}

TEST(DownloadAndProcessHidden, FailuresDoNotStallTheWindow) {
  PARLAB_WITHIN(60s, kHang) {
    std::vector<std::string> urls;
    for (unsigned month = 13; month < 19; ++month) urls.push_back(url_of(month_file(2017, month)));
    urls.push_back(url_of(month_file(2017, 1)));
    urls.push_back(url_of(month_file(2017, 2)));
    const YearReport report = download_and_process(urls, 2);
    ASSERT_EQ(report.months.size(), urls.size());
    for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(report.months[i].error, "HTTP status 404") << urls[i];
    EXPECT_TRUE(report.months[6].ok() && report.months[7].ok()) << "the good months after the failures";
    expect_same_settlements(report.settlements,
                            independent_stats({file_text(month_file(2017, 1)), file_text(month_file(2017, 2))}));
  };
}

TEST(DownloadAndProcessHidden, MoreMonthsThanTheCapEachRequestedOnce) {
  PARLAB_WITHIN(60s, kHang) {
    std::vector<MonthFile> files;
    for (unsigned month = 1; month <= 9; ++month) files.push_back(month_file(2016, month, 1, 8'000'000));
    const std::vector<std::string> urls = urls_of(files);
    known_seed_server().reset_stats();
    const YearReport report = download_and_process(urls, 2);
    EXPECT_EQ(scada_requests(), 9u) << "every month must be requested exactly once";
    EXPECT_LE(scada_peak_in_flight(), 2u) << "more downloads at once than max_in_flight = 2";
    ASSERT_EQ(report.months.size(), 9u);
    for (std::size_t i = 0; i < files.size(); ++i) {
      EXPECT_EQ(report.months[i], (MonthResult{urls[i], 200, file_text(files[i]).size(), rows_of(files[i]), ""}));
    }
  };
}

TEST(DownloadAndProcessHidden, CallsFromSeveralThreads) {
  PARLAB_WITHIN(90s, kHang) {
    std::vector<std::vector<MonthFile>> years(3);
    for (unsigned t = 0; t < years.size(); ++t) {
      for (unsigned month = 1; month <= 4; ++month) years[t].push_back(month_file(2010 + t, month));
    }
    std::vector<YearReport> reports(years.size());
    {
      std::vector<std::jthread> callers;
      for (std::size_t t = 0; t < years.size(); ++t) {
        callers.emplace_back([&, t] { reports[t] = download_and_process(urls_of(years[t]), 3); });
      }
    }
    for (std::size_t t = 0; t < years.size(); ++t) {
      SCOPED_TRACE("caller " + std::to_string(t));
      std::vector<std::string> texts;
      for (const MonthFile& file : years[t]) texts.push_back(file_text(file));
      ASSERT_EQ(reports[t].months.size(), 4u);
      for (const MonthResult& month : reports[t].months) EXPECT_TRUE(month.ok()) << month.error;
      expect_same_settlements(reports[t].settlements, independent_stats(texts));
    }
  };
}

TEST(DownloadAndProcessHidden, ThreadsAreJoined) {
  PARLAB_WITHIN(60s, kHang) {
    // The URLs first: they start the tests' server (and its thread) if nothing has yet. Measured
    // from inside the deadline's own thread, so that thread is counted both times.
    const std::vector<std::string> urls = urls_of({month_file(2015, 1), month_file(2015, 13), month_file(2015, 2)});
    const std::set<std::string> before = thread_ids();
    const YearReport report = download_and_process(urls, 3);
    EXPECT_EQ(report.months.size(), 3u);
    // The same moment's grace for the call's own joined threads to leave /proc; a thread that is
    // still there after it was never joined.
    std::vector<std::string> left = new_threads(before, thread_ids());
    for (int wait = 0; wait < 50 && !left.empty(); ++wait) {
      std::this_thread::sleep_for(2ms);
      left = new_threads(before, thread_ids());
    }
    EXPECT_TRUE(left.empty()) << left.size()
                              << " thread(s) the call started still run after it returned: join every thread "
                                 "before returning";
  };
}

}  // namespace
