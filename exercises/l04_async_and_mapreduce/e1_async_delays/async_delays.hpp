// Given, do not modify: the API of exercise 4.1, async_delays, and its concurrency contract.
//
// Ask a slow server many questions and add up what it answers: every URL is a delay endpoint of
// the fixture server, GET /delay/<ms>, which answers after <ms> milliseconds with the JSON
// {"delay_ms": <ms>, "path": "/delay/<ms>"}. Each answer is parsed (the map), and the delays the
// server reports are summed (the reduce), as the lecture does with asyncio, aiohttp and
// functools.reduce. One after another the requests take the sum of the delays; waiting for all of
// them at once, on one thread, takes about the longest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parlab {

// What one requested URL answered. Two answers are equal when every field is.
//
// Request rules, the same for both functions below: an HTTP GET; redirects are NOT followed (a
// 302 is an answer like any other status); at most 10 s to connect and 30 s for the whole
// transfer. An answer succeeds when the transfer completes with status 200 and its body is a JSON
// object with an unsigned integer "delay_ms" and a string "path" (other members are ignored).
struct DelayAnswer {
  std::string url;             // the URL exactly as requested
  long status = 0;             // the HTTP status; 0 when no response arrived
  std::uint64_t delay_ms = 0;  // the answer's "delay_ms"; 0 for a failed answer
  std::string path;            // the answer's "path", e.g. "/delay/120"; empty for a failed answer
  std::string error;           // empty on success; otherwise one of these fixed texts (never
                               // with timings or sizes in it, so that two runs compare equal):
                               //   libcurl's sentence for its error code (curl_easy_strerror),
                               //     e.g. "Failure when receiving data from the peer"
                               //   "HTTP status 503" for a completed transfer with another status
                               //   "not a delay answer" for a 200 whose body is not such JSON

  bool operator==(const DelayAnswer&) const = default;
};

// The answers to a whole list. Two reports are equal when every field is.
struct DelaysReport {
  std::vector<DelayAnswer> answers;  // one per requested URL, in request order
  std::uint64_t total_delay_ms = 0;  // the sum of the answers' delay_ms (a failed answer adds 0):
                                     // a reduce over the answers, delays::make_report

  // How many answers failed.
  std::size_t failed() const noexcept {
    std::size_t count = 0;
    for (const DelayAnswer& answer : answers) count += answer.error.empty() ? 0 : 1;
    return count;
  }

  bool operator==(const DelaysReport&) const = default;
};

// The URL of the delay endpoint that answers after `delay_ms` on the server at `base`
// ("http://127.0.0.1:<port>", no trailing slash): "<base>/delay/<delay_ms>". Thread-safe.
inline std::string delay_url(std::string_view base, std::uint64_t delay_ms) {
  return std::string(base) + "/delay/" + std::to_string(delay_ms);
}

// The baseline: requests every URL, one after another, over one libcurl easy handle (one session,
// which keeps its connection to the server open from one request to the next), and parses each
// answer as it arrives. It takes about the sum of the delays.
//
// Returns one DelayAnswer per URL, in request order; a URL listed twice is requested twice; an
// empty list returns an empty report at once. Blocks until every transfer has finished. Never
// throws for a network or HTTP error or a body that is not a delay answer: each is recorded in its
// URL's answer, and the others are still requested. Throws std::runtime_error only when libcurl
// cannot create a handle (and std::bad_alloc when memory runs out).
// Requires curl_global_init() to have been called once, before any thread uses libcurl (the test
// and bench mains do it). Thread-safe: it shares nothing between calls, so several threads may
// call it at once.
DelaysReport async_delays_sequential(const std::vector<std::string>& urls);

// What `max_in_flight` says when it is 0: no cap, every URL at once (asyncio.gather's way).
inline constexpr unsigned kAllAtOnce = 0;

// The same list on the calling thread alone, with up to `max_in_flight` requests waiting at once
// (kAllAtOnce: all of them). With every URL at once it takes about the longest delay, not the sum.
//
// Returns exactly what async_delays_sequential(urls) returns for the same server: one answer per
// URL, in request order whatever order they arrive in, duplicates requested as often as listed,
// failures recorded in their own answer (never thrown, never stopping the others), the same
// total. Starts no thread: every transfer, callback and parse runs on the calling thread. At no
// moment are more than `max_in_flight` of this call's transfers open (a transfer makes one request
// at a time), so the server never sees more than `max_in_flight` of its requests at once; with
// more URLs than that, a new transfer starts as soon as one ends. A cap larger than the list is
// fine, and so is kAllAtOnce (both open every transfer at once); an empty list returns an empty
// report without a request.
// Blocks until every transfer has finished. Throws std::runtime_error when libcurl cannot create
// a handle or its multi interface reports an error (out of memory, a bad socket): then no
// transfer of this call is left running.
// Requires curl_global_init() as above. Thread-safe: several threads may call it at once, each
// running its own event loop.
DelaysReport async_delays(const std::vector<std::string>& urls, unsigned max_in_flight);

}  // namespace parlab
