// Given, do not modify: the check of one endpoint over one libcurl easy handle, shared by the
// baseline and the student file, so that the exercise is only about checking endpoints at once.
//
// Header-only on purpose: the build compiles just health_check_sequential.cpp and the student's
// health_check.cpp, and both may include this.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

#include "health_check.hpp"

namespace parlab::probe {

struct EasyCleanup {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};

// An owned libcurl easy handle set up for health checks. One handle serves one transfer at a
// time: never use one from two threads at once.
using EasyHandle = std::unique_ptr<CURL, EasyCleanup>;

// libcurl's write callback: a health check needs to know that the body arrived, not what it says.
inline std::size_t discard_body(char*, std::size_t size, std::size_t count, void*) { return size * count; }

// A new handle with the attempt rules of health_check.hpp set on it.
// Throws std::runtime_error when libcurl cannot create one. Thread-safe once curl_global_init()
// has run: each call makes an independent handle.
inline EasyHandle make_probe() {
  EasyHandle handle(curl_easy_init());
  if (!handle) throw std::runtime_error("curl_easy_init failed");
  CURL* h = handle.get();
  // Timeouts without SIGALRM: a signal would land on whichever thread the kernel picks.
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  // A connection of its own for every attempt: a connection kept open from the last attempt
  // would say nothing about whether the server still accepts new ones.
  curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is an answer of its own
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_body);
  return handle;
}

// Throws std::invalid_argument for options health_check.hpp rejects.
inline void validate(const CheckOptions& options) {
  if (options.attempts == 0) throw std::invalid_argument("health check: attempts must be at least 1");
  if (options.timeout.count() <= 0) throw std::invalid_argument("health check: the timeout must be positive");
}

// What one attempt found.
struct Attempt {
  Failure failure = Failure::none;  // none: answered
  bool connected = false;           // a TCP connection was made (answered or not)
  long status = 0;                  // the HTTP status when answered, else 0
};

inline Failure failure_of(CURLcode code) {
  switch (code) {
    case CURLE_OK:
      return Failure::none;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Failure::name_not_resolved;
    case CURLE_COULDNT_CONNECT:
      return Failure::could_not_connect;
    case CURLE_OPERATION_TIMEDOUT:
      return Failure::timed_out;
    default:
      return Failure::transfer_failed;
  }
}

// One GET of `url` over `probe` (from make_probe), limited to `timeout` from start to finish.
// Blocks until the answer arrives, the attempt fails or the timeout runs out. Never throws for a
// network or HTTP failure. Not thread-safe for one handle; calls on different handles may run in
// parallel.
inline Attempt attempt(CURL* probe, const std::string& url, std::chrono::milliseconds timeout) {
  const long limit_ms = static_cast<long>(timeout.count());
  curl_easy_setopt(probe, CURLOPT_URL, url.c_str());  // libcurl copies the string
  curl_easy_setopt(probe, CURLOPT_TIMEOUT_MS, limit_ms);
  curl_easy_setopt(probe, CURLOPT_CONNECTTIMEOUT_MS, limit_ms);
  const CURLcode code = curl_easy_perform(probe);

  Attempt result;
  result.failure = failure_of(code);
  long new_connections = 0;  // with FRESH_CONNECT, 1 exactly when this attempt got connected
  curl_easy_getinfo(probe, CURLINFO_NUM_CONNECTS, &new_connections);
  result.connected = new_connections > 0;
  if (result.failure == Failure::none) curl_easy_getinfo(probe, CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

// The verdict of health_check.hpp's rules.
constexpr Health classify(unsigned answered, unsigned attempts, bool ever_connected) {
  if (answered == attempts) return Health::alive;
  if (answered > 0) return Health::lossy;
  return ever_connected ? Health::no_response : Health::unreachable;
}

// Checks `url` with options.attempts attempts, one after another, over `probe`, and reports.
// Blocks for up to options.attempts x options.timeout. Never throws for a network or HTTP failure
// (only std::bad_alloc can escape). Expects validated options (see validate()). Not thread-safe
// for one handle; calls on different handles may run in parallel.
inline HostReport check_endpoint(CURL* probe, const std::string& url, const CheckOptions& options) {
  HostReport report;
  report.url = url;
  report.attempts = options.attempts;
  bool ever_connected = false;
  for (unsigned i = 0; i < options.attempts; ++i) {
    const Attempt a = attempt(probe, url, options.timeout);
    ever_connected = ever_connected || a.connected;
    if (a.failure == Failure::none) {
      ++report.answered;
      report.status = a.status;
    } else {
      report.last_failure = a.failure;
    }
  }
  report.health = classify(report.answered, report.attempts, ever_connected);
  return report;
}

}  // namespace parlab::probe
