// Given, do not modify: the API of exercise 2.3, random_titles, and its concurrency contract.
//
// Follow a list of random-page links, read the title of the page each one lands on with a real
// HTML parser, and count the characters of all the titles together: the lecture's breakout on
// Wikipedia's Special:Random, against the local fixture server. Almost all of the time goes to
// waiting for the server, so threads that wait together finish the list several times sooner.
// Exercise 2.4 (async_titles) returns the same types.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace parlab {

// What one listed URL led to. Two results are equal when every field is.
//
// Transfer rules, the same for every function of exercises 2.3 and 2.4: an HTTP GET that follows
// redirects, at most 5 of them (a 6th is an error, CURLE_TOO_MANY_REDIRECTS, so a redirect loop
// ends instead of running forever); at most 10 s to connect and 30 s for the whole transfer,
// redirects included. An HTTP error status (404, 500, ...) is a complete transfer.
struct PageTitle {
  std::string url;                   // the URL exactly as listed, not where its redirects led
  long status = 0;                   // the HTTP status of the last response; 0 when none arrived
  std::optional<std::string> title;  // the landing page's title, in UTF-8: the text of its first
                                     // <title> element, entities decoded, outer whitespace
                                     // trimmed (titles::html_title). nullopt when the body has
                                     // no <title>, or the transfer failed
  std::string error;                 // empty when the transfer completed; otherwise libcurl's
                                     // fixed sentence for its error code (curl_easy_strerror),
                                     // e.g. "Number of redirects hit maximum amount". Never a
                                     // message with timings or sizes in it, so that two runs
                                     // compare equal

  bool operator==(const PageTitle&) const = default;
};

// The answer for a whole list. Two reports are equal when every field is.
struct TitlesReport {
  std::vector<PageTitle> pages;  // one per listed URL, in input order
  std::size_t total_chars = 0;   // characters of all titles together, counted as Unicode code
                                 // points: "Café" counts 4 (it is 5 bytes in UTF-8). A page
                                 // without a title adds nothing

  bool operator==(const TitlesReport&) const = default;
};

// The baseline: fetches every URL, one after another, over one libcurl easy handle (one
// "session", which keeps its connection to a server open from one URL to the next), and parses
// each page as it arrives.
//
// Returns one PageTitle per URL, in input order; a URL listed twice is fetched twice. Blocks
// until every transfer has finished. Never throws for a network or HTTP error, a redirect loop,
// or a page without a title: each is recorded in its URL's result. Throws std::runtime_error only
// when libcurl cannot create a handle (and std::bad_alloc when memory runs out).
// Requires curl_global_init() to have been called once, before any thread uses libcurl (the test
// and bench mains do it); libxml2 initializes itself on first use (title_fetch.hpp). Thread-safe:
// it shares nothing between calls, so several threads may call it at once.
TitlesReport random_titles_sequential(const std::vector<std::string>& urls);

// The same list, fetched and parsed by up to `workers` threads at once.
//
// Returns exactly what random_titles_sequential(urls) returns for the same server: one result per
// URL, in input order, duplicates fetched as often as listed, the same total. Blocks until every
// transfer has finished and every thread it started has been joined; no thread outlives the
// call. More workers than URLs is fine (the extra workers have nothing to do); an empty list
// returns an empty report. Never throws for a network or HTTP error (recorded in the result).
// Throws std::invalid_argument when `workers` is 0, std::runtime_error when libcurl cannot create
// a handle, std::system_error when a thread cannot be started.
// Requires curl_global_init() as above. Thread-safe: several threads may call it at once.
TitlesReport random_titles(const std::vector<std::string>& urls, unsigned workers);

}  // namespace parlab
