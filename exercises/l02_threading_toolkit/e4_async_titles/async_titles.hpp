// Given, do not modify: the API of exercise 2.4, async_titles, and its concurrency contract.
//
// Exercise 2.3's job (follow random-page links, read each landing page's title, count the
// characters) done the lecture's second way: one thread and an event loop, libcurl's multi
// interface, instead of a pool of threads. The waits still overlap, because one thread can keep
// many transfers open at once and serve whichever has news. The result types and the transfer
// rules are 2.3's (random_titles.hpp, in 2.3's folder, which this exercise's build puts on the
// include path), and so is the fetch helper, title_fetch.hpp.
#pragma once

#include <string>
#include <vector>

#include "random_titles.hpp"  // PageTitle, TitlesReport, the transfer rules

namespace parlab {

// The baseline: the same loop as random_titles_sequential, one blocking transfer after another
// over one easy handle.
//
// Returns one PageTitle per URL, in input order; a URL listed twice is fetched twice. Blocks until
// every transfer has finished. Never throws for a network or HTTP error, a redirect loop, or a
// page without a title: each is recorded in its URL's result. Throws std::runtime_error only when
// libcurl cannot create a handle (and std::bad_alloc when memory runs out).
// Requires curl_global_init() to have been called once, before any thread uses libcurl (the test
// and bench mains do it). Thread-safe: it shares nothing between calls.
TitlesReport async_titles_sequential(const std::vector<std::string>& urls);

// The same list on the calling thread alone, with up to `max_in_flight` transfers open at once.
//
// Returns exactly what async_titles_sequential(urls) returns for the same server: one result per
// URL, in input order, duplicates fetched as often as listed, the same total. Starts no thread:
// every transfer, callback and parse runs on the calling thread. At no moment are more than
// `max_in_flight` transfers open (each transfer makes one request at a time, following its
// redirects one after another, so the server never sees more than `max_in_flight` of this call's
// requests at once); with more URLs than that, a new transfer starts as soon as one ends. A
// window larger than the list is fine; an empty list returns an empty report.
// Blocks until every transfer has finished. Never throws for a network or HTTP error (recorded in
// the result). Throws std::invalid_argument when `max_in_flight` is 0, std::runtime_error when
// libcurl cannot create a handle or its multi interface reports an error (out of memory, a bad
// socket): then no transfer of this call is left running.
// Requires curl_global_init() as above. Thread-safe: several threads may call it at once, each
// running its own event loop.
TitlesReport async_titles(const std::vector<std::string>& urls, unsigned max_in_flight);

}  // namespace parlab
