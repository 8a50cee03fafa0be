// Given, do not modify: the API of exercise 5.2, stream_to_disk, and its concurrency contract.
//
// Download files far larger than one wants to hold in memory, several at once, each written to
// disk as its bytes arrive. The lecture's download(url) keeps response.content, a whole file, in
// memory before writing it; eight such files at once hold eight files. Here a download never
// holds more than what libcurl hands its write callback at a time (16 KiB by default), so the
// memory a call needs does not grow with the files' sizes, only with how many run at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace parlab {

// One file to fetch: GET `url`, and save its body as `destination`.
struct Download {
  std::string url;
  std::filesystem::path destination;  // a file path; its folder must exist
};

// What became of one Download.
struct DownloadResult {
  long status = 0;          // HTTP status; 0 when no response arrived or no request was made
  std::uint64_t bytes = 0;  // bytes written to the destination; 0 for a failed download
  std::string error;        // empty on success; else libcurl's sentence ("Transferred a partial
                            // file"), "HTTP status 404", or "cannot write <path>: <reason>"
  bool ok() const noexcept { return error.empty(); }
  bool operator==(const DownloadResult&) const = default;
};

// The rules every download follows, in both functions below:
//   - Whole or nothing. The body is written to "<destination>.part" as it arrives and renamed to
//     `destination` only once the transfer has ended with status 200, so a file under its final
//     name is never half written. An older file at `destination` is replaced only by a complete
//     download; a failed one leaves it as it was, and leaves no .part file behind.
//   - A failed download is a result, not an exception: a transfer error (a reset, a truncated
//     body, a refused connection), a status other than 200 (redirects are not followed), or a
//     file that cannot be written. When "<destination>.part" cannot even be created (its folder
//     is missing, say) the error is "cannot write <destination>.part: <reason>" and no request is
//     made for that download. The other downloads go on.
//   - Once. Each Download is requested exactly once: no retry, no second request for its size. A
//     URL listed twice (with two destinations) is fetched twice.
//   - A transfer that receives nothing for 30 s ends with libcurl's timeout error; connecting
//     may take 10 s. A slow but moving transfer is never cut off, whatever the file's size.
//   - Every destination must name a file (std::filesystem::path::has_filename()) and no two may
//     be equal (compared after lexically_normal()): else std::invalid_argument is thrown before
//     any file is touched or any request made.

// The baseline: one easy handle, one download after another, each body streamed to its file.
//
// Returns one result per download, in input order; an empty list returns an empty vector and
// makes no request. Blocks until every download has ended. Never throws for a network, HTTP or
// file error (recorded in the result). Throws std::invalid_argument for a destination that breaks
// the rules above, std::runtime_error when libcurl cannot create a handle (and std::bad_alloc when
// memory runs out).
// Requires curl_global_init() to have been called once, before any thread uses libcurl (the test
// and bench mains do it). Thread-safe: calls share nothing, as long as their destinations differ.
std::vector<DownloadResult> stream_to_disk_sequential(const std::vector<Download>& downloads);

// The same downloads with up to `max_in_flight` transfers open at once, on the calling thread
// alone.
//
// Returns exactly what stream_to_disk_sequential(downloads) returns for the same server, and
// leaves the same files: one result per download, in input order, however the transfers finish.
// Starts no thread: every transfer, callback and file write runs on the calling thread (libcurl's
// multi interface). At no moment are more than `max_in_flight` transfers open; with more
// downloads than that, a new transfer starts as soon as one ends. A cap larger than the list is
// fine. Memory: each open transfer writes what arrives to its own file at once, so the call holds
// a few buffers per open transfer, never a body.
// Blocks until every download has ended. Throws std::invalid_argument when `max_in_flight` is 0
// or a destination breaks the rules above (before anything else), std::runtime_error when libcurl
// cannot create a handle or its multi interface reports an error: then no transfer of this call is
// left running, and no .part file of it is left behind.
// Requires curl_global_init() as above. Thread-safe: several threads may call it at once, each
// with destinations of its own, each running its own event loop.
std::vector<DownloadResult> stream_to_disk(const std::vector<Download>& downloads, unsigned max_in_flight);

}  // namespace parlab
