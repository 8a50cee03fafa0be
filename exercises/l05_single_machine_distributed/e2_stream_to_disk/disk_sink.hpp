// Given, do not modify: where a download's bytes go, shared by the baseline and the student file of
// exercise 5.2 (stream_to_disk), so that both follow the same file rules and record the same errors.
//
//   make_session()                        an easy handle with the transfer rules of stream_to_disk.hpp
//   check_downloads(downloads)            the destination rules: throws std::invalid_argument
//   PartFile                              "<destination>.part", written as bytes arrive, then renamed
//                                         to the destination (commit) or removed (discard)
//   write_body                            libcurl's write callback: hands each piece to a PartFile
//   start_download(handle, download, f)   one download in two halves: before curl_easy_perform or
//   finish_download(handle, code, f)      curl_multi_add_handle, and once the transfer has ended
//
// Header-only, like the other exercises' fetch helpers: each build compiles just the baseline and
// the student file, and both include this.
#pragma once

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "curl_session.hpp"
#include "stream_to_disk.hpp"

namespace parlab::disk {

// ---- Sessions -------------------------------------------------------------------------------

// An owned libcurl easy handle (a "session": it keeps its connection open between transfers).
// One handle serves one transfer at a time: never use one from two threads at once.
using EasyHandle = curl::EasyHandle;

// A transfer that moves less than 1 byte per second for this long has stalled and ends with
// CURLE_OPERATION_TIMEDOUT. There is no limit on a transfer's whole time: a large file at a modest
// rate may rightly take minutes.
inline constexpr long kStallSeconds = 30;

// A new handle with the transfer rules of stream_to_disk.hpp set on it: no signals, 10 s to
// connect and redirects not followed (curl::new_easy_handle), and a stall of 30 s ends a transfer.
// Throws std::runtime_error when libcurl cannot create one. Thread-safe once curl_global_init()
// has run: each call makes an independent handle.
inline EasyHandle make_session() {
  EasyHandle handle = curl::new_easy_handle();
  curl_easy_setopt(handle.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(handle.get(), CURLOPT_LOW_SPEED_TIME, kStallSeconds);
  return handle;
}

// ---- Destinations ---------------------------------------------------------------------------

// Throws std::invalid_argument, naming the destination, when one does not name a file or two are
// equal after lexically_normal(): two transfers must never write one file. Touches nothing.
inline void check_downloads(const std::vector<Download>& downloads) {
  std::set<std::filesystem::path> seen;
  for (const Download& download : downloads) {
    if (!download.destination.has_filename()) {
      throw std::invalid_argument("stream_to_disk: destination '" + download.destination.string() +
                                  "' does not name a file");
    }
    if (!seen.insert(download.destination.lexically_normal()).second) {
      throw std::invalid_argument("stream_to_disk: destination '" + download.destination.string() +
                                  "' is listed twice");
    }
  }
}

// Where a destination's bytes wait until the download is whole: "<destination>.part".
inline std::filesystem::path part_path(const std::filesystem::path& destination) {
  std::filesystem::path part = destination;
  part += ".part";
  return part;
}

// "<what>: <the reason errno gives>", e.g. "cannot write out/a.bin.part: No such file or directory".
inline std::string describe_errno(const std::string& what, int error_number) {
  return what + ": " + std::strerror(error_number);
}

// A file being downloaded: "<destination>.part", written with plain write(2) calls, so each piece
// goes to the kernel as it arrives and nothing is buffered here. commit() renames it to the
// destination in one step (rename(2): a reader sees the old file or the new one, never half of
// one); discard() removes it. Reusable: open() again after a commit() or discard().
// Not thread-safe: one transfer, and so one thread, uses a PartFile at a time. It must stay at one
// address while a handle writes to it (libcurl keeps the pointer): it cannot be copied or moved.
class PartFile {
 public:
  PartFile() = default;
  ~PartFile() { discard(); }  // a download abandoned halfway leaves no .part file
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  // Creates (or empties) "<destination>.part" for writing. On failure returns false, error() says
  // why, and nothing is left open. Requires !is_open().
  bool open(const std::filesystem::path& destination) {
    destination_ = destination;
    part_ = part_path(destination);
    bytes_ = 0;
    error_.clear();
    fd_ = ::open(part_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      error_ = describe_errno("cannot write " + part_.string(), errno);
      return false;
    }
    return true;
  }

  // Writes all `length` bytes at the end of the file, or returns false (error() says why; the
  // file stays open until commit() or discard()). Requires is_open().
  bool write(const char* data, std::size_t length) {
    if (!error_.empty()) return false;  // a file that failed once takes nothing more
    while (length > 0) {
      const ssize_t written = ::write(fd_, data, length);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) {
        error_ = describe_errno("cannot write " + part_.string(), written < 0 ? errno : ENOSPC);
        return false;
      }
      data += written;
      length -= static_cast<std::size_t>(written);
      bytes_ += static_cast<std::uint64_t>(written);
    }
    return true;
  }

  // Closes the file and renames it to the destination. On failure returns false, error() says
  // why, and the .part file is removed. Requires is_open() and no failed write.
  bool commit() {
    if (!close_file()) {
      error_ = describe_errno("cannot write " + part_.string(), errno);
    } else if (::rename(part_.c_str(), destination_.c_str()) != 0) {
      error_ = describe_errno("cannot write " + destination_.string(), errno);
    }
    if (error_.empty()) return true;
    ::unlink(part_.c_str());
    return false;
  }

  // Closes and removes the .part file, if one is open; the destination is left as it was.
  // Idempotent; never throws.
  void discard() noexcept {
    if (fd_ < 0) return;
    close_file();
    ::unlink(part_.c_str());
  }

  bool is_open() const noexcept { return fd_ >= 0; }
  std::uint64_t bytes() const noexcept { return bytes_; }       // written since open()
  const std::string& error() const noexcept { return error_; }  // empty while all is well

 private:
  bool close_file() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

  int fd_ = -1;  // open between open() and commit()/discard()
  std::filesystem::path destination_;
  std::filesystem::path part_;
  std::uint64_t bytes_ = 0;
  std::string error_;
};

// ---- Transfers ------------------------------------------------------------------------------

// libcurl's write callback (CURLOPT_WRITEFUNCTION), with a PartFile* as its CURLOPT_WRITEDATA:
// libcurl calls it with each piece of the body as it arrives (up to CURLOPT_BUFFERSIZE, 16 KiB by
// default), and the piece goes straight to the file. Returning fewer bytes than offered makes
// libcurl end the transfer with CURLE_WRITE_ERROR.
inline std::size_t write_body(char* data, std::size_t size, std::size_t count, void* part_file) {
  const std::size_t length = size * count;
  return static_cast<PartFile*>(part_file)->write(data, length) ? length : 0;
}

// The first half of one download: opens `file` for download.destination and points `handle` at
// download.url with `file` as its sink. Returns nothing when the handle is ready to run
// (curl_easy_perform, or curl_multi_add_handle); `file` must then stay where it is until
// finish_download. Returns the download's result when its .part file cannot be created: then do
// not run the handle (no request is made for this download). Requires !file.is_open().
// Never throws but std::bad_alloc.
inline std::optional<DownloadResult> start_download(CURL* handle, const Download& download, PartFile& file) {
  if (!file.open(download.destination)) return DownloadResult{0, 0, file.error()};
  curl_easy_setopt(handle, CURLOPT_URL, download.url.c_str());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &file);
  return std::nullopt;
}

// The second half, once the transfer that start_download began on `handle` has ended with `code`
// (curl_easy_perform's result, or a CURLMsg's data.result): the file is renamed to its destination
// when the transfer succeeded with status 200 and every byte was written, and removed otherwise.
// Returns the download's result, the first failure winning: a write error, then the transfer's
// error, then the status, then the rename. Leaves `file` closed and `handle` free for another
// download. Never throws but std::bad_alloc.
inline DownloadResult finish_download(CURL* handle, CURLcode code, PartFile& file) {
  DownloadResult result;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result.status);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));  // the sink ends here
  if (!file.error().empty()) {
    result.error = file.error();
  } else if (code != CURLE_OK) {
    result.error = curl_easy_strerror(code);
  } else if (result.status != 200) {
    result.error = "HTTP status " + std::to_string(result.status);
  } else if (const std::uint64_t bytes = file.bytes(); file.commit()) {
    result.bytes = bytes;
    return result;
  } else {
    result.error = file.error();
  }
  file.discard();
  return result;
}

}  // namespace parlab::disk
