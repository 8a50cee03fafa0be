// Given, do not modify: the API of exercise 1.1, download_sites, and its concurrency contract.
//
// Download a list of web pages and describe what came back for each one. Almost all of the
// time goes to waiting for the server, so a handful of threads, each waiting on its own
// download, finish the list several times sooner than one loop does.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace parlab {

// What one download produced. Two results are equal when every field is.
//
// Transfer rules, the same for both functions below: an HTTP GET; redirects are NOT followed
// (a 302 is a result with status 302 and its own short body); at most 10 s to connect and
// 30 s for the whole transfer; an HTTP error status (404, 500, ...) is a complete transfer,
// so its `error` is empty and its body is counted and digested like any other.
struct SiteResult {
  std::string url;        // the URL exactly as listed
  long status = 0;        // the HTTP status of the response; 0 when no response arrived
                          // (connection refused or reset, timeout before the headers)
  std::size_t bytes = 0;  // body bytes received (headers not counted)
  std::string digest;     // lower-case hex SHA-1 of the body bytes received, also for error
                          // statuses and truncated bodies (an empty body has a digest too)
  std::string error;      // empty when the transfer completed; otherwise libcurl's message,
                          // e.g. "Recv failure: Connection reset by peer"

  bool operator==(const SiteResult&) const = default;
};

// The baseline: downloads every URL, one after another, over one libcurl easy handle (one
// "session", which keeps its connection to a server open from one URL to the next).
//
// Returns one result per URL, in input order; a URL listed twice is downloaded twice.
// Blocks until every download has finished. Never throws for a network or HTTP error: that is
// recorded in the URL's result. Throws std::runtime_error only when libcurl cannot create a
// handle (and std::bad_alloc when memory runs out).
// Requires curl_global_init() to have been called once, before any thread uses libcurl (the
// test and bench mains do it). Thread-safe: it shares nothing between calls, so several
// threads may call it at once.
std::vector<SiteResult> download_sites_sequential(const std::vector<std::string>& urls);

// The same list, downloaded by up to `workers` threads at once.
//
// Returns exactly what download_sites_sequential(urls) returns for the same server: one
// result per URL, in input order, duplicates downloaded as often as listed. Blocks until every
// download has finished and every thread it started has been joined; no thread outlives the
// call. More workers than URLs is fine (the extra workers have nothing to do); an empty list
// returns an empty vector. Never throws for a network or HTTP error (recorded in the result).
// Throws std::invalid_argument when `workers` is 0, std::runtime_error when libcurl cannot
// create a handle, std::system_error when a thread cannot be started.
// Requires curl_global_init() as above. Thread-safe: several threads may call it at once.
std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers);

}  // namespace parlab
