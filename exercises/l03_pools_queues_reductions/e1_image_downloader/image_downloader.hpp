// Given, do not modify: the API of exercise 3.1, image_downloader, and its concurrency contract.
//
// Read a gallery listing (JSON), then download every image it lists into a folder. Almost all of
// the time goes to waiting for the server, so several downloads waiting at once finish the
// gallery several times sooner. Three ways to run them are compared: worker processes, a thread
// pool, and worker threads that take their jobs from a queue.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace parlab {

// How download_gallery() runs the downloads.
enum class Strategy {
  processes,    // worker processes (the build's image_downloader_worker), each fed one job at a time
  thread_pool,  // a pool of threads (a library's pool) that every download is posted to
  queue,        // worker threads started by the call, taking jobs from a queue the call fills
};

// What happened to one image of the gallery. Two results are equal when every field is.
//
// Download rules, the same for both functions below: an HTTP GET; redirects are NOT followed; at
// most 10 s to connect and 30 s for the whole transfer. An image succeeds when the transfer
// completes with status 200: its bytes are written to <folder>/<name>.part, which is then renamed
// to <folder>/<name> (replacing an older file of that name), so a file under its final name is
// always whole. Any other outcome is a failed image: its .part file is removed, and no file of
// its name is created (an older one is left alone).
struct ImageResult {
  std::string name;       // the file name, as listed
  std::string url;        // the image's URL, as listed
  long status = 0;        // the HTTP status; 0 when no response arrived (or the name was refused)
  std::size_t bytes = 0;  // bytes written to the file; 0 for a failed image
  std::string sha1;       // lower-case hex SHA-1 of the file's bytes; empty for a failed image
  std::string error;      // empty on success; otherwise a text that depends only on what went
                          // wrong: "HTTP status 500", libcurl's text for its error code (e.g.
                          // "Timeout was reached"), "not a plain file name" (a name with a '/',
                          // ".", "..", or empty: never downloaded, so it cannot escape the folder),
                          // or "cannot write <name>.part"

  bool operator==(const ImageResult&) const = default;
};

// What one call did with the whole gallery.
struct GalleryReport {
  std::size_t listed = 0;           // entries in the gallery's listing, duplicates included
  std::vector<ImageResult> images;  // one per DISTINCT name, in the listing's order: an entry
                                    // whose name was listed before is a duplicate, downloaded
                                    // and reported once (under its first entry)

  // How many images failed.
  std::size_t failed() const noexcept {
    std::size_t count = 0;
    for (const ImageResult& image : images) count += image.error.empty() ? 0 : 1;
    return count;
  }

  bool operator==(const GalleryReport&) const = default;
};

// The baseline: fetches the listing at `gallery_url`, creates `folder` (and its parents) if it is
// missing, then downloads the images one after another over one libcurl easy handle.
//
// The listing is JSON: {"images": [{"name": "<file name>", "url": "<absolute URL>"}, ...]}
// (other members, such as "count", are ignored); `gallery_url` may be http:// or file://.
// Every distinct image is requested exactly once. A failed image is recorded in its result and
// the others still complete: it never throws for one image.
// Blocks until every download has finished. Throws std::runtime_error when the listing cannot be
// fetched (a transfer error, or an HTTP status other than 200) or is not such a document, and then
// creates no folder; std::filesystem::filesystem_error when the folder cannot be created.
// Requires curl_global_init() to have been called once, before any thread uses libcurl (the test
// and bench mains do it). Thread-safe for different folders: calls that share a folder may
// overwrite each other's files.
GalleryReport download_gallery_sequential(const std::string& gallery_url, const std::filesystem::path& folder);

// The same gallery, downloaded by up to `workers` downloads at once, run as `strategy` says.
//
// Returns exactly what download_gallery_sequential(gallery_url, folder) returns, and leaves the
// folder the same: the images' results in listing order, every distinct image requested exactly
// once, a duplicate reported once, a failed image recorded while the others complete, no .part
// file left behind. Starts at most min(workers, distinct images) threads or worker processes, and
// none for an empty gallery. Blocks until every download has finished and every thread and process
// it started has been joined or reaped: nothing it started outlives the call, whether it returns
// or throws.
// Throws std::invalid_argument when `workers` is 0 (before any request, creating no folder);
// otherwise what download_gallery_sequential throws, in the same cases; std::system_error when a
// thread or a worker process cannot be started; std::runtime_error when a worker process dies or
// breaks its protocol (strategy processes only).
// Requires curl_global_init() as above. Thread-safe for different folders, as above.
GalleryReport download_gallery(const std::string& gallery_url, const std::filesystem::path& folder, Strategy strategy,
                               unsigned workers);

}  // namespace parlab
