// Lecture snippet helper (lecture 2): a libcurl easy handle set up for one GET, for the snippets
// that talk to the fixture server. Call curl_global_init once, before any thread starts.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <stdexcept>
#include <string>

using EasyHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

inline std::size_t append_body(char* data, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

// A handle that GETs `url` into `*body`, which must outlive the transfer. Like any easy handle,
// it may be used by one thread at a time.
inline EasyHandle make_get(const std::string& url, std::string* body) {
  EasyHandle handle(curl_easy_init(), curl_easy_cleanup);
  if (!handle) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(handle.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle.get(), CURLOPT_NOSIGNAL, 1L);  // threaded code: no signals for timeouts
  curl_easy_setopt(handle.get(), CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(handle.get(), CURLOPT_WRITEDATA, body);
  return handle;
}

// The HTTP status of the handle's last transfer; 0 when no response arrived.
inline long response_code(CURL* handle) {
  long code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
  return code;
}
