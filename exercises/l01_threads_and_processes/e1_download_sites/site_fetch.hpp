// Given, do not modify: one download over one libcurl easy handle, shared by the baseline and
// the student file, so that the exercise is only about threads.
//
// Header-only on purpose: the build compiles just download_sites_sequential.cpp and the
// student's download_sites.cpp, and both may include this.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

#include "curl_session.hpp"
#include "digest.hpp"
#include "download_sites.hpp"

namespace parlab::site {

// An owned libcurl easy handle: C++'s counterpart of a Python requests.Session. It keeps
// its connection open between transfers, so the next URL on the same server skips the
// connect. One handle serves one transfer at a time: never use one from two threads at once.
using EasyHandle = curl::EasyHandle;

inline constexpr long kTransferTimeoutSeconds = 30;

// A new handle with the transfer rules of download_sites.hpp set on it: no signals, 10 s to
// connect and redirects not followed (curl::new_easy_handle), 30 s for a whole transfer, and the
// body appended to the std::string given as CURLOPT_WRITEDATA. Throws std::runtime_error when
// libcurl cannot create one. Thread-safe once curl_global_init() has run: each call makes an
// independent handle.
inline EasyHandle make_session() {
  EasyHandle handle = curl::new_easy_handle();
  curl_easy_setopt(handle.get(), CURLOPT_TIMEOUT, kTransferTimeoutSeconds);
  curl_easy_setopt(handle.get(), CURLOPT_WRITEFUNCTION, curl::append_to_string);
  return handle;
}

// Downloads `url` over `session` (from make_session) and describes what arrived.
// Blocks until the transfer ends. Never throws for a network or HTTP error; only
// std::bad_alloc can escape. Not thread-safe for one handle (see EasyHandle); calls on
// different handles may run in parallel.
inline SiteResult fetch(CURL* session, const std::string& url) {
  SiteResult result;
  result.url = url;
  std::string body;
  char message[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(session, CURLOPT_URL, url.c_str());  // libcurl copies the string
  curl_easy_setopt(session, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(session, CURLOPT_ERRORBUFFER, message);
  const CURLcode code = curl_easy_perform(session);
  // Both buffers end with this call: leave the handle pointing at neither.
  curl_easy_setopt(session, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
  curl_easy_setopt(session, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));

  curl_easy_getinfo(session, CURLINFO_RESPONSE_CODE, &result.status);  // 0: no response
  result.bytes = body.size();
  result.digest = sha1_hex(body);
  if (code != CURLE_OK) result.error = message[0] != '\0' ? message : curl_easy_strerror(code);
  return result;
}

}  // namespace parlab::site
