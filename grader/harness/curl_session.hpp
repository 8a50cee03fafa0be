// Harness: the libcurl easy handle that every download exercise builds its session on.
//
// Each exercise's given header still says its own transfer rules (a whole-transfer timeout, a
// stall limit, redirects followed or not) in its make_session(); what they all share is here.
// Header-only, so that exercise folders need no library of the harness to use it.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

namespace parlab::curl {

struct EasyCleanup {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};

// An owned libcurl easy handle: a "session" (a Python requests.Session) that keeps its connection
// open between transfers. One handle serves one transfer at a time: never use one from two
// threads at once.
using EasyHandle = std::unique_ptr<CURL, EasyCleanup>;

inline constexpr long kConnectTimeoutSeconds = 10;

// A new handle that may live in a threaded program: no signals (libcurl's timeouts would
// otherwise use SIGALRM, which lands on whichever thread the kernel picks), 10 s to connect,
// and redirects not followed (a redirect is an answer of its own unless an exercise says
// otherwise). Throws std::runtime_error when libcurl cannot make one. Thread-safe once
// curl_global_init() has run: each call makes an independent handle.
inline EasyHandle new_easy_handle() {
  EasyHandle handle(curl_easy_init());
  if (!handle) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(handle.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle.get(), CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(handle.get(), CURLOPT_FOLLOWLOCATION, 0L);
  return handle;
}

// libcurl's write callback (CURLOPT_WRITEFUNCTION) with a std::string* as its CURLOPT_WRITEDATA:
// appends each piece of the body as it arrives. It runs inside curl_easy_perform or
// curl_multi_perform, on the thread that called them.
inline std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

}  // namespace parlab::curl
