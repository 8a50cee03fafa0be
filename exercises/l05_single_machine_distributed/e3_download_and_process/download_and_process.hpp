// Given, do not modify: the API of exercise 5.3, download_and_process, and its concurrency contract.
//
// A year of monthly CSV files of generator output (the electricity market's DISPATCH_UNIT_SCADA
// files the Python lecture downloads), each reduced to the mean and standard deviation of the units'
// readings at every five-minute settlement time. Downloading a month waits on a server that sends
// it at a limited rate; processing one computes. The baseline downloads a month, processes it, then
// starts the next, so the network idles while it computes and the CPU idles while it waits. Your
// version overlaps the downloads with each other and with the processing: a pipeline with a queue.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace parlab {

// What became of one month's file. Two results are equal when every field is.
struct MonthResult {
  std::string url;          // as given
  long status = 0;          // HTTP status; 0 when no response arrived
  std::uint64_t bytes = 0;  // body bytes received with status 200; 0 when the transfer failed
  std::uint64_t rows = 0;   // D rows read; 0 for a failed month
  std::string error;        // empty on success; otherwise one of (the text depends only on what
                            // went wrong):
                            //   "HTTP status 404"                       any status but 200
                            //   libcurl's text for its error code       e.g. "Couldn't connect to server"
                            //   "no rows"                               an empty file, or no D row
                            //   "line 4127: expected 8 fields, found 6" the first bad line, numbered
                            //                                           from 1 (the C line is line 1)
                            //   "no END OF REPORT line"                 the file's last line is missing
                            //   (scada_month.hpp lists every parse error)
  bool ok() const noexcept { return error.empty(); }
  bool operator==(const MonthResult&) const = default;
};

// The readings of one settlement time (SETTLEMENTDATE), pooled over every month that succeeded.
struct SettlementStats {
  std::string time;         // "2021/01/01 00:05:00", as in the file, without its quotes
  std::uint64_t count = 0;  // readings at that time: one per unit
  double mean = 0;          // their mean, in MW
  double stddev = 0;        // their SAMPLE standard deviation (divided by count - 1, like pandas'
                            // std()), from Welford's running sums; 0 when count is 1 (pandas: NaN)
};

// What one call returns.
struct YearReport {
  std::vector<MonthResult> months;           // one per URL, in input order, however they finished
  std::vector<SettlementStats> settlements;  // every settlement time of every good month, in time
                                             // order (the text "YYYY/MM/DD hh:mm:ss" sorts so); a
                                             // time found in several files pools their readings
};

// The baseline: for each URL in turn, download the whole file into memory over one libcurl easy
// handle, then process it, then go on to the next; then merge the months.
//
// A month's file (see scada_month.hpp for the format and its rules) fails as a whole: a transfer
// error, a status other than 200 or any bad line gives it an error and puts none of its rows in the
// settlements. A failed month is a result, never an exception: the other months go on. An empty
// list returns an empty report and makes no request.
// Blocks until every month has been downloaded and processed. Throws std::runtime_error when libcurl
// cannot make a handle (and std::bad_alloc when memory runs out).
// Requires curl_global_init() to have been called once, before any thread uses libcurl (the test
// and bench mains do it). Thread-safe: calls share nothing.
YearReport download_and_process_sequential(const std::vector<std::string>& urls);

// The same months, with up to `max_in_flight` downloads at once, and each file processed as soon as
// it has arrived, while the others still download.
//
// Returns what download_and_process_sequential(urls) returns for the same server: the months'
// results equal, in input order; the same settlement times in the same order with the same counts,
// and means and standard deviations equal within a relative 1e-9 (the order of the additions may
// differ; the given helpers make them equal to the last bit). Each URL is requested exactly once
// (a URL listed twice is fetched twice, and its readings pooled twice, as in the baseline). At no
// moment are more than `max_in_flight` requests open; a cap larger than the list is fine.
// Threads: any number, every one joined before the call returns or throws; none for an empty list.
// Processing a month (scada::process) must not hold up the downloads.
// Blocks until every month has been downloaded and processed. Throws std::invalid_argument when
// `max_in_flight` is 0 (before any request); otherwise what the baseline throws, and
// std::system_error when a thread cannot be started; after a throw no transfer or thread of the
// call is left running.
// Requires curl_global_init() as above. Thread-safe: several threads may call it at once.
YearReport download_and_process(const std::vector<std::string>& urls, unsigned max_in_flight);

}  // namespace parlab
