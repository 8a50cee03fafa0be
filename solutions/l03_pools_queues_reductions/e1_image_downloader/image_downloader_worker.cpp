// Student file: exercise 3.1, image_downloader, the worker program (one process of the processes
// strategy). Reference solution: the starter's worker as shipped; the protocol is in image_protocol.hpp.
//
// Started by the parent with no arguments. Runs its initializer once, announces itself with the
// ready line, then downloads one image per line of stdin until end of input.
#include <curl/curl.h>

#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "image_fetch.hpp"
#include "image_protocol.hpp"

namespace {

namespace images = parlab::images;

// The per-process initializer, like the initializer of Python's multiprocessing.Pool: processes
// share no memory, so each worker sets up libcurl and opens its own session, once, and reuses it
// for every job it is given.
images::EasyHandle initialize() {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  images::EasyHandle session = images::make_session();
  std::ios::sync_with_stdio(false);
  std::cin.tie(nullptr);
  std::cout << images::ready_line() << '\n' << std::flush;
  return session;
}

}  // namespace

int main() {
  try {
    const images::EasyHandle session = initialize();
    std::string line;
    while (std::getline(std::cin, line)) {
      const std::optional<images::JobLine> job = images::parse_job(line);
      if (!job) {
        std::cerr << "image_downloader_worker: not a job: '" << line << "'\n";
        return 2;
      }
      const parlab::ImageResult result = images::download_image(session.get(), job->job, job->folder);
      // Flushed at once: the parent is waiting for exactly this answer.
      std::cout << images::format_result(result) << '\n' << std::flush;
      if (!std::cout) return 1;  // the parent stopped reading: nobody wants the rest
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "image_downloader_worker: " << e.what() << '\n';
    return 2;
  }
}
