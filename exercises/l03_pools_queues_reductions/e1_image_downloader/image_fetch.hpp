// Given, do not modify: reading a gallery listing and downloading one image into a folder, shared
// by the baseline, the worker program and the student file, so that the exercise is only about
// how the downloads are run.
//
// Header-only on purpose: the worker program and the exercise's library both include it.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "curl_session.hpp"
#include "digest.hpp"
#include "image_downloader.hpp"

namespace parlab::images {

// An owned libcurl easy handle (a "session": it keeps its connection open between transfers).
// One handle serves one transfer at a time: never use one from two threads at once.
using EasyHandle = curl::EasyHandle;

inline constexpr long kTransferTimeoutSeconds = 30;

// A new handle with the download rules of image_downloader.hpp set on it: no signals, 10 s to
// connect and redirects not followed (curl::new_easy_handle), 30 s for a whole transfer.
// Throws std::runtime_error when libcurl cannot create one. Thread-safe once curl_global_init()
// has run: each call makes an independent handle.
inline EasyHandle make_session() {
  EasyHandle handle = curl::new_easy_handle();
  curl_easy_setopt(handle.get(), CURLOPT_TIMEOUT, kTransferTimeoutSeconds);
  return handle;
}

// One image to download: an entry of the listing.
struct ImageJob {
  std::string name;  // the file name it is saved under, inside the folder
  std::string url;
};

// The listing, read: the distinct images in listing order, and how many entries it had.
struct GalleryPlan {
  std::size_t listed = 0;
  std::vector<ImageJob> jobs;  // one per distinct name; a later entry of a known name is dropped
};

// Whether `name` names a file directly inside a folder: not empty, not "." or "..", no '/' and
// no NUL byte. Anything else could write outside the folder ("../x", "/etc/x") or nowhere.
inline bool is_plain_file_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

namespace detail {

// The body at `url`. Throws std::runtime_error on a transfer error or an HTTP status other than
// 200; a file:// URL has no status (0) and is accepted once read.
inline std::string fetch_text(const std::string& url) {
  const EasyHandle session = make_session();
  std::string body;
  curl_easy_setopt(session.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(session.get(), CURLOPT_WRITEFUNCTION, curl::append_to_string);
  curl_easy_setopt(session.get(), CURLOPT_WRITEDATA, &body);
  const CURLcode code = curl_easy_perform(session.get());
  long status = 0;
  curl_easy_getinfo(session.get(), CURLINFO_RESPONSE_CODE, &status);
  if (code != CURLE_OK) throw std::runtime_error("gallery " + url + ": " + curl_easy_strerror(code));
  if (status != 0 && status != 200) {
    throw std::runtime_error("gallery " + url + ": HTTP status " + std::to_string(status));
  }
  return body;
}

// Where a file is written, and where it waits until it is whole.
inline std::filesystem::path final_path(const std::filesystem::path& folder, const std::string& name) {
  return folder / name;
}
inline std::filesystem::path part_path(const std::filesystem::path& folder, const std::string& name) {
  return folder / (name + ".part");
}

// Where libcurl's write callback puts the body: the .part file, and a running SHA-1 of it.
struct FileSink {
  std::ofstream out;
  Sha1 sha;
  std::size_t bytes = 0;
  bool failed = false;  // a write failed: the transfer is aborted, the image fails
};

inline std::size_t write_to_sink(char* data, std::size_t size, std::size_t count, void* sink_ptr) {
  auto& sink = *static_cast<FileSink*>(sink_ptr);
  const std::size_t length = size * count;
  sink.out.write(data, static_cast<std::streamsize>(length));
  if (!sink.out) {
    sink.failed = true;
    return 0;  // fewer bytes than offered: libcurl stops the transfer with CURLE_WRITE_ERROR
  }
  sink.sha.update(std::string_view(data, length));
  sink.bytes += length;
  return length;
}

}  // namespace detail

// Fetches and reads the listing at `gallery_url` (see download_gallery_sequential for its shape).
// Blocks for one transfer. Throws std::runtime_error when it cannot be fetched or is not a
// listing. Thread-safe: each call uses its own handle.
inline GalleryPlan fetch_gallery(const std::string& gallery_url) {
  const nlohmann::json listing = nlohmann::json::parse(detail::fetch_text(gallery_url), nullptr, false);
  if (listing.is_discarded() || !listing.is_object() || !listing.contains("images") || !listing["images"].is_array()) {
    throw std::runtime_error("gallery " + gallery_url + ": not a listing {\"images\": [...]}");
  }
  GalleryPlan plan;
  std::set<std::string, std::less<>> seen;
  for (const nlohmann::json& entry : listing["images"]) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() || !entry.contains("url") ||
        !entry["url"].is_string()) {
      throw std::runtime_error("gallery " + gallery_url + ": an entry without a string name and url: " + entry.dump());
    }
    ++plan.listed;
    std::string name = entry["name"].get<std::string>();
    if (!seen.insert(name).second) continue;  // a duplicate: the first entry of this name wins
    plan.jobs.push_back(ImageJob{std::move(name), entry["url"].get<std::string>()});
  }
  return plan;
}

// fetch_gallery, then the folder (and its parents) created if missing: a listing that cannot be
// read creates no folder. Throws what fetch_gallery throws, and
// std::filesystem::filesystem_error when the folder cannot be created.
inline GalleryPlan plan_gallery(const std::string& gallery_url, const std::filesystem::path& folder) {
  GalleryPlan plan = fetch_gallery(gallery_url);
  std::filesystem::create_directories(folder);
  return plan;
}

// Downloads one image over `session` (from make_session) into `folder`, which must exist, by the
// rules of image_downloader.hpp: written to <name>.part, renamed to <name> once whole, the .part
// removed when the image fails. Blocks until the transfer ends. Never throws for a network, HTTP
// or file error (they are recorded in the result); only std::bad_alloc can escape. Not
// thread-safe for one handle; calls on different handles, for different names, may run in
// parallel.
inline ImageResult download_image(CURL* session, const ImageJob& job, const std::filesystem::path& folder) {
  ImageResult result;
  result.name = job.name;
  result.url = job.url;
  if (!is_plain_file_name(job.name)) {
    result.error = "not a plain file name";
    return result;
  }
  const std::filesystem::path part = detail::part_path(folder, job.name);
  detail::FileSink sink;
  sink.out.open(part, std::ios::binary | std::ios::trunc);
  if (!sink.out) {
    result.error = "cannot write " + job.name + ".part";
    return result;
  }

  curl_easy_setopt(session, CURLOPT_URL, job.url.c_str());
  curl_easy_setopt(session, CURLOPT_WRITEFUNCTION, detail::write_to_sink);
  curl_easy_setopt(session, CURLOPT_WRITEDATA, &sink);
  const CURLcode code = curl_easy_perform(session);
  curl_easy_setopt(session, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));  // the sink ends here
  curl_easy_getinfo(session, CURLINFO_RESPONSE_CODE, &result.status);
  sink.out.close();

  std::error_code ignored;
  if (sink.failed || sink.out.fail()) {
    result.error = "cannot write " + job.name + ".part";
  } else if (code != CURLE_OK) {
    result.error = curl_easy_strerror(code);
  } else if (result.status != 200) {
    result.error = "HTTP status " + std::to_string(result.status);
  } else {
    // rename(2) replaces the target in one step: a reader sees the old file or the new, never half.
    std::filesystem::rename(part, detail::final_path(folder, job.name), ignored);
    if (ignored) result.error = "cannot write " + job.name + ".part";
  }
  if (!result.error.empty()) {
    std::filesystem::remove(part, ignored);
    return result;
  }
  result.bytes = sink.bytes;
  result.sha1 = sink.sha.hex();
  return result;
}

}  // namespace parlab::images
