// Given, do not modify: the API of exercise 2.2, health_check, and its concurrency contract.
//
// Check whether a list of HTTP endpoints is up, the way `ping -c 2` checks a host: a few
// attempts each, a timeout on every attempt, and a verdict from how many were answered. Almost
// all of the time is spent waiting (for an answer, or for a timeout to run out), so checking
// every endpoint at once takes about as long as the slowest endpoint, not the sum of them all.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace parlab {

// The verdict on one endpoint, from its attempts (see HostReport for the exact rules).
enum class Health {
  alive,        // every attempt was answered
  lossy,        // some attempts were answered, not all: "alive, 50% loss" for 1 of 2
  no_response,  // none was answered, and at least one attempt got a connection
  unreachable,  // none was answered, and no attempt ever got a connection
};

// Why an attempt went unanswered.
enum class Failure {
  none,               // answered: a complete HTTP response arrived in time
  name_not_resolved,  // the host name has no address
  could_not_connect,  // the connection was refused (nothing listens there) or has no route
  timed_out,          // the timeout ran out: while resolving, connecting or waiting for the answer
  transfer_failed,    // anything else: the connection was reset, the answer was cut short or garbled
};

// "alive", "lossy", "no response", "unreachable": for messages.
constexpr std::string_view to_string(Health health) {
  switch (health) {
    case Health::alive:
      return "alive";
    case Health::lossy:
      return "lossy";
    case Health::no_response:
      return "no response";
    case Health::unreachable:
      return "unreachable";
  }
  return "?";
}

// "none", "name not resolved", ...: for messages.
constexpr std::string_view to_string(Failure failure) {
  switch (failure) {
    case Failure::none:
      return "none";
    case Failure::name_not_resolved:
      return "name not resolved";
    case Failure::could_not_connect:
      return "could not connect";
    case Failure::timed_out:
      return "timed out";
    case Failure::transfer_failed:
      return "transfer failed";
  }
  return "?";
}

// How to check one endpoint. Both functions below throw std::invalid_argument, before checking
// anything, when `attempts` is 0 or `timeout` is not positive.
struct CheckOptions {
  unsigned attempts = 2;  // requests per endpoint, made one after another (like ping -c 2)
  // The limit on each attempt, from its start to the end of the answer: name lookup,
  // connecting, sending the request and receiving the whole response. It is not shared across
  // attempts: an endpoint that is never answered takes attempts x timeout to check.
  std::chrono::milliseconds timeout{1000};
};

// What the checks of one endpoint found. Every field is a pure function of how the endpoint
// behaved, free of timings, so two checks of endpoints that behave the same compare equal.
//
// The rules, the same for both functions below. An attempt is one HTTP GET of the URL over a
// connection of its own (never one kept from an earlier attempt, so every attempt is a real
// check), redirects not followed. It is *answered* when a complete HTTP response, of any status
// (a 404 or a 503 is an answer: the server is up), arrives within the timeout. Then:
//   answered == attempts                                   -> alive
//   0 < answered < attempts                                -> lossy
//   answered == 0, some attempt got a TCP connection       -> no_response (a silent server, a
//                                                             reset, an answer cut short)
//   answered == 0, no attempt ever got a TCP connection    -> unreachable (name not resolved,
//                                                             connection refused or timed out)
struct HostReport {
  std::string url;                       // the URL exactly as listed
  Health health = Health::unreachable;   // the verdict, by the rules above
  unsigned attempts = 0;                 // attempts made: always CheckOptions::attempts
  unsigned answered = 0;                 // attempts answered
  long status = 0;                       // HTTP status of the last answered attempt; 0 if none was
  Failure last_failure = Failure::none;  // why the last unanswered attempt failed; none if all were answered

  bool operator==(const HostReport&) const = default;
};

// The baseline: checks one endpoint after another, each endpoint's attempts one after another.
//
// Returns one report per URL, in input order; a URL listed twice is checked twice. Blocks until
// every check has finished: about the sum, over the endpoints, of their attempts' times, up to
// urls.size() x attempts x timeout when nothing answers. Never throws for a network or HTTP
// failure: that is what the report describes. Throws std::invalid_argument for bad options (see
// CheckOptions), std::runtime_error when libcurl cannot create a handle.
// Requires curl_global_init() to have been called once, before any thread uses libcurl (the test
// and bench mains do it). Thread-safe: it shares nothing between calls, so several threads may
// call it at once. One caution about the fixture server's flaky endpoints: each
// /health/flaky/<key> alternates answers per key, over every request made to that key by anyone,
// so two checks of the same key at the same time see each other's requests and the verdicts
// depend on timing. Give every concurrent check of a flaky endpoint a key of its own.
std::vector<HostReport> check_hosts_sequential(const std::vector<std::string>& urls, const CheckOptions& options);

// The same checks, all endpoints at once.
//
// Returns exactly what check_hosts_sequential(urls, options) returns when the endpoints behave
// the same: one report per URL, in input order, duplicates checked as often as listed (the
// caution above applies: in a list checked at once, a flaky key listed twice is two concurrent
// checks of one key). Each endpoint's attempts still run one after another, each with its own
// timeout; it is the endpoints that are checked at the same time, so the call takes about as long
// as the slowest endpoint. Blocks until every check has finished and every thread it started has
// been joined; no thread outlives the call. An empty list returns an empty vector. Never throws
// for a network or HTTP failure. Throws std::invalid_argument for bad options (before checking
// anything), std::runtime_error when libcurl cannot create a handle, std::system_error when a
// thread cannot be started. Requires curl_global_init() as above. Thread-safe: several threads
// may call it at once.
std::vector<HostReport> check_hosts(const std::vector<std::string>& urls, const CheckOptions& options);

}  // namespace parlab
