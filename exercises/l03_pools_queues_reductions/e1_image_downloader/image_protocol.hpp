// Given, do not modify: the line protocol between download_gallery() and its worker processes
// (strategy processes), both sides of it.
//
// The protocol, version parlab-images/1. Every message is one line of text ending in '\n'.
//   1. The parent starts the worker (image_downloader_worker) with no arguments; stdin and stdout
//      are pipes to the parent, stderr is the parent's own (for diagnostics only).
//   2. The worker's initializer runs once (libcurl, one session for all its jobs), then the
//      worker writes its ready line:   ready parlab-images/1
//   3. The parent writes one job per line, a JSON object:
//          {"name": "<file name>", "url": "<image URL>", "folder": "<absolute folder path>"}
//   4. The worker downloads it with images::download_image() and answers with the result, one JSON
//      object per line, flushed at once:
//          {"name": .., "url": .., "status": .., "bytes": .., "sha1": .., "error": ..}
//      A failed image is an answer like any other, not a failure of the worker.
//   5. At end of input (the parent closed the worker's stdin) the worker exits with code 0. A line
//      it cannot read makes it write a message on stderr and exit with code 2.
//
// The parent's side speaks through parlab::pool::WorkerProcess, the process class of exercise 1.3
// (worker_process.hpp: start, write a line, read a line, wait, kill, always reaped).
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "image_downloader.hpp"
#include "image_fetch.hpp"
#include "worker_process.hpp"

namespace parlab::images {

inline constexpr std::string_view kProtocol = "parlab-images/1";

// "ready parlab-images/1", without the newline.
inline std::string ready_line() { return "ready " + std::string(kProtocol); }

#ifdef PARLAB_PROGRAM_IMAGE_DOWNLOADER_WORKER
// The absolute path of the build's worker program (the build defines it for the exercise's code).
inline std::string worker_program() { return PARLAB_PROGRAM_IMAGE_DOWNLOADER_WORKER; }
#endif

// A job as the worker reads it.
struct JobLine {
  ImageJob job;
  std::filesystem::path folder;
};

namespace detail {

// Compact JSON on one line; bytes that are not UTF-8 are replaced rather than thrown about.
inline std::string one_line(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The object on `line`, or nothing when it is not a JSON object.
inline std::optional<nlohmann::json> object_on(std::string_view line) {
  nlohmann::json value = nlohmann::json::parse(line, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

}  // namespace detail

// The job line, without the newline. The folder is made absolute, so the worker finds it whatever
// its own working folder.
inline std::string format_job(const ImageJob& job, const std::filesystem::path& folder) {
  return detail::one_line(
      {{"name", job.name}, {"url", job.url}, {"folder", std::filesystem::absolute(folder).string()}});
}

// The job on `line`, or nothing when the line is not one.
inline std::optional<JobLine> parse_job(std::string_view line) {
  const std::optional<nlohmann::json> value = detail::object_on(line);
  if (!value) return std::nullopt;
  try {
    return JobLine{ImageJob{value->at("name").get<std::string>(), value->at("url").get<std::string>()},
                   std::filesystem::path(value->at("folder").get<std::string>())};
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

// The result line, without the newline.
inline std::string format_result(const ImageResult& r) {
  return detail::one_line({{"name", r.name},
                           {"url", r.url},
                           {"status", r.status},
                           {"bytes", r.bytes},
                           {"sha1", r.sha1},
                           {"error", r.error}});
}

// The result on `line`, or nothing when the line is not one.
inline std::optional<ImageResult> parse_result(std::string_view line) {
  const std::optional<nlohmann::json> value = detail::object_on(line);
  if (!value) return std::nullopt;
  try {
    ImageResult r;
    r.name = value->at("name").get<std::string>();
    r.url = value->at("url").get<std::string>();
    r.status = value->at("status").get<long>();
    r.bytes = value->at("bytes").get<std::size_t>();
    r.sha1 = value->at("sha1").get<std::string>();
    r.error = value->at("error").get<std::string>();
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

// ---- The parent's side ----

namespace detail {

inline std::string who(const pool::WorkerProcess& worker) {
  return "image_downloader: worker pid " + std::to_string(worker.pid());
}

inline std::string shown(std::string_view line) {
  constexpr std::size_t kShown = 80;
  return "'" + std::string(line.substr(0, kShown)) + (line.size() > kShown ? "...'" : "'");
}

}  // namespace detail

// The start-up handshake: reads the worker's first line and checks that it is ready_line(). Call
// it once per worker before its first job; to overlap start-ups, start every worker first, then
// await each one. Blocks until the line arrives. Throws std::runtime_error, after reaping the
// worker, when it ends before its ready line or writes anything else.
inline void await_ready(pool::WorkerProcess& worker) {
  std::string line;
  if (!worker.read_line(line)) {
    const pool::ExitStatus status = worker.wait();
    throw std::runtime_error(detail::who(worker) + " (" + worker.path() + ") " + status.describe() +
                             " before its ready line");
  }
  if (line != ready_line()) {
    worker.kill();
    throw std::runtime_error(detail::who(worker) + " (" + worker.path() + ") is not a " + std::string(kProtocol) +
                             " worker: its first line was " + detail::shown(line));
  }
}

// One round trip: sends the job, waits while the worker downloads it, returns its result (a failed
// image included). Throws std::runtime_error, after reaping the worker, when the worker dies before
// it answers or answers anything but a result for this image (it is killed first).
inline ImageResult run_job(pool::WorkerProcess& worker, const ImageJob& job, const std::filesystem::path& folder) {
  std::string line;
  if (!worker.write_line(format_job(job, folder)) || !worker.read_line(line)) {
    throw std::runtime_error(detail::who(worker) + " " + worker.wait().describe() + " while downloading " + job.name);
  }
  std::optional<ImageResult> result = parse_result(line);
  if (!result || result->name != job.name || result->url != job.url) {
    worker.kill();
    throw std::runtime_error(detail::who(worker) + " answered " + detail::shown(line) + " for " + job.name);
  }
  return *std::move(result);
}

// The end of a worker's life: closes its stdin, checks that it writes nothing more, reaps it and
// checks that it exited with code 0. Throws std::runtime_error, after reaping it, otherwise.
inline void finish(pool::WorkerProcess& worker) {
  worker.close_input();
  std::string line;
  if (worker.read_line(line)) {
    worker.kill();
    throw std::runtime_error(detail::who(worker) + " wrote " + detail::shown(line) + " after its last job");
  }
  const pool::ExitStatus status = worker.wait();
  if (!status.success()) {
    throw std::runtime_error(detail::who(worker) + " " + status.describe() + " after its last job");
  }
}

}  // namespace parlab::images
