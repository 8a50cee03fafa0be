// Given, do not modify: one request's transfer and its parsed answer, shared by the baseline and
// the student file of exercise 4.1 (async_delays), so that those are only about waiting.
//
//   make_session()                    an easy handle with the request rules of async_delays.hpp
//   fetch_delay(handle, url)          one blocking transfer: start_transfer, curl_easy_perform,
//                                     finish_transfer
//   start_transfer(handle, t)         the same transfer in two halves, for a handle that runs
//   finish_transfer(handle, code, t)  inside a libcurl multi handle
//   parse_answer(url, status, body)   the map: one answer's status and JSON body to a DelayAnswer
//   make_report(answers)              the reduce: the answers in order and the sum of their delays
//
// Header-only, like the other exercises' fetch helpers: each build compiles just the baseline and
// the student file, and both include this.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "async_delays.hpp"
#include "curl_session.hpp"

namespace parlab::delays {

// ---- Answers: the map and the reduce --------------------------------------------------------

// The DelayAnswer of one completed transfer of `url`, which answered `status` with `body`: the
// map step of the lecture's map/reduce. A 200 whose body is a JSON object with an unsigned integer
// "delay_ms" and a string "path" succeeds; any other status is the error "HTTP status <n>" (its
// body unread); a 200 with any other body is the error "not a delay answer". Pure: never throws
// but std::bad_alloc, thread-safe.
inline DelayAnswer parse_answer(const std::string& url, long status, const std::string& body) {
  DelayAnswer answer;
  answer.url = url;
  answer.status = status;
  if (status != 200) {
    answer.error = "HTTP status " + std::to_string(status);
    return answer;
  }
  // No exceptions for a malformed body: it is a wrong answer, recorded, not a failure of the call.
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  const auto delay = doc.is_object() ? doc.find("delay_ms") : doc.end();
  const auto path = doc.is_object() ? doc.find("path") : doc.end();
  if (delay == doc.end() || !delay->is_number_unsigned() || path == doc.end() || !path->is_string()) {
    answer.error = "not a delay answer";
    return answer;
  }
  answer.delay_ms = delay->get<std::uint64_t>();
  answer.path = path->get<std::string>();
  return answer;
}

// The sum of the answers' delays, as a reduce: std::transform_reduce maps each answer to its
// delay_ms (0 for a failed one) and folds them with +. Like the lecture's functools.reduce, it
// asks only that + be associative, so the answers could be summed in any grouping. Thread-safe.
inline std::uint64_t total_delay_ms(const std::vector<DelayAnswer>& answers) {
  return std::transform_reduce(answers.begin(), answers.end(), std::uint64_t{0}, std::plus<>(),
                               [](const DelayAnswer& answer) { return answer.delay_ms; });
}

// The report of a finished list: its answers as given (keep them in request order) and their
// total. Thread-safe.
inline DelaysReport make_report(std::vector<DelayAnswer> answers) {
  DelaysReport report{std::move(answers), 0};
  report.total_delay_ms = total_delay_ms(report.answers);
  return report;
}

// ---- Transfers: libcurl ---------------------------------------------------------------------

// An owned libcurl easy handle: a "session" that keeps its connection open between transfers.
// One handle serves one transfer at a time: never use one from two threads at once.
using EasyHandle = curl::EasyHandle;

inline constexpr long kTransferTimeoutSeconds = 30;

// A new handle with the request rules of async_delays.hpp set on it: no signals, 10 s to connect
// and redirects not followed, an answer of their own (curl::new_easy_handle), 30 s for a whole
// transfer, and the body appended to the std::string given as CURLOPT_WRITEDATA (the callback
// runs inside curl_multi_perform, on the thread that called it). Throws std::runtime_error when
// libcurl cannot create one. Thread-safe once curl_global_init() has run: each call makes an
// independent handle.
inline EasyHandle make_session() {
  EasyHandle handle = curl::new_easy_handle();
  curl_easy_setopt(handle.get(), CURLOPT_TIMEOUT, kTransferTimeoutSeconds);
  curl_easy_setopt(handle.get(), CURLOPT_WRITEFUNCTION, curl::append_to_string);
  return handle;
}

// What one transfer needs beyond its handle: the URL as requested, and the body as it arrives.
// The handle points into it from start_transfer to finish_transfer: keep it at one address until
// then.
struct Transfer {
  std::string url;
  std::string body;
};

// Points `handle` (from make_session) at transfer.url, with the body going to transfer.body
// (emptied first). The handle is then ready to run: curl_easy_perform(handle), or
// curl_multi_add_handle(multi, handle). Not thread-safe for one handle or one transfer.
inline void start_transfer(CURL* handle, Transfer& transfer) {
  transfer.body.clear();
  curl_easy_setopt(handle, CURLOPT_URL, transfer.url.c_str());  // libcurl copies the string
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer.body);
}

// The answer of the transfer `handle` ran for `transfer`, once it has ended with `code`
// (curl_easy_perform's return value, or a finished multi transfer's msg->data.result): parsed by
// parse_answer when the transfer completed, else libcurl's sentence for `code`. Leaves the handle
// pointing at no body, ready for start_transfer again. Never throws but std::bad_alloc. Not
// thread-safe for one handle.
inline DelayAnswer finish_transfer(CURL* handle, CURLcode code, const Transfer& transfer) {
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));
  long status = 0;  // stays 0 when no response arrived
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  if (code == CURLE_OK) return parse_answer(transfer.url, status, transfer.body);
  DelayAnswer answer;
  answer.url = transfer.url;
  answer.status = status;
  answer.error = curl_easy_strerror(code);  // a fixed sentence per code, unlike CURLOPT_ERRORBUFFER
  return answer;
}

// Requests `url` over `session` (from make_session) and parses its answer. Blocks until the
// transfer ends. Never throws for a network or HTTP error or a wrong body (all in the answer);
// only std::bad_alloc can escape. Not thread-safe for one handle; calls on different handles may
// run in parallel.
inline DelayAnswer fetch_delay(CURL* session, const std::string& url) {
  Transfer transfer{url, {}};
  start_transfer(session, transfer);
  const CURLcode code = curl_easy_perform(session);
  return finish_transfer(session, code, transfer);
}

}  // namespace parlab::delays
