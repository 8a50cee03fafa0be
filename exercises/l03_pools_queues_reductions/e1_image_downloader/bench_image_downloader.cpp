// Given, do not modify: the bench adapter of exercise 3.1, image_downloader (see bench.hpp).
//
// Workload: the fixture's /gallery/<size> of 32 KiB images, each answering after 25 ms, with one
// image listed twice and one answering 500, both drawn from the seed. The time is nearly all
// waiting: one loop takes about size x 25 ms, `workers` downloads at once about
// ceil(size / workers) x 25 ms, plus, for the processes strategy, starting the worker processes.
// --variant picks the strategy of the student's run (processes, thread_pool, queue; thread_pool
// when none is given); the baseline ignores it. Each run writes into a fresh folder of its own
// under the temp folder, removed when the workload ends.
#include <curl/curl.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "bench.hpp"
#include "digest.hpp"
#include "fixture_env.hpp"
#include "image_downloader.hpp"

namespace parlab::bench {
namespace {

constexpr int kDelayMs = 25;
constexpr int kImageBytes = 32 << 10;

Strategy strategy_named(const std::string& variant) {
  if (variant.empty() || variant == "thread_pool") return Strategy::thread_pool;
  if (variant == "processes") return Strategy::processes;
  if (variant == "queue") return Strategy::queue;
  throw std::invalid_argument("unknown variant '" + variant + "': processes, thread_pool or queue");
}

// splitmix64: a small, fixed generator, so the workload is the same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::filesystem::path make_scratch_folder() {
  std::string pattern = (std::filesystem::temp_directory_path() / "parlab-bench-3.1-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::system_error(errno, std::generic_category(), "mkdtemp");
  return pattern;
}

class ImageDownloaderWorkload final : public Workload {
 public:
  ImageDownloaderWorkload(std::string base, std::string gallery_url, Strategy strategy, unsigned workers)
      : base_(std::move(base)),
        gallery_url_(std::move(gallery_url)),
        strategy_(strategy),
        workers_(workers),
        scratch_(make_scratch_folder()),
        folder_(scratch_ / "images") {}  // missing until a run creates it

  ~ImageDownloaderWorkload() override {
    std::error_code ignored;
    std::filesystem::remove_all(scratch_, ignored);
  }

  void run_sequential() override { report_ = download_gallery_sequential(gallery_url_, folder_); }
  void run_student() override { report_ = download_gallery(gallery_url_, folder_, strategy_, workers_); }

  // Every field of the report, in order, then every file the folder holds, by name, with the SHA-1
  // of its bytes as read back from disk: reports or folders that differ anywhere differ here.
  // URLs enter without the server's base, so runs against different servers can agree.
  std::string digest() const override {
    Sha1 sha;
    sha.update(std::to_string(report_.listed)).update(" ").update(std::to_string(report_.images.size())).update("\n");
    for (const ImageResult& r : report_.images) {
      const std::string_view url(r.url);
      sha.update(r.name).update("\n").update(url.starts_with(base_) ? url.substr(base_.size()) : url).update("\n");
      sha.update(std::to_string(r.status)).update(" ").update(std::to_string(r.bytes)).update(" ");
      sha.update(r.sha1).update("\n").update(r.error).update("\n");
    }
    sha.update("files\n");
    for (const auto& [name, digest] : files()) sha.update(name).update(" ").update(digest).update("\n");
    return sha.hex();
  }

 private:
  // The folder's files, sorted by name, each with the SHA-1 of its content.
  std::map<std::string, std::string> files() const {
    std::map<std::string, std::string> found;
    if (!std::filesystem::is_directory(folder_)) return found;
    for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      found.emplace(entry.path().filename().string(), sha1_hex(bytes));
    }
    return found;
  }

  std::string base_;  // "http://127.0.0.1:<port>"
  std::string gallery_url_;
  Strategy strategy_;
  unsigned workers_;
  std::filesystem::path scratch_;  // ours: removed with everything in it
  std::filesystem::path folder_;
  GalleryReport report_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  // The bench driver leaves libcurl to the adapter: initialize it once, before any thread.
  static const CURLcode curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (curl_ready != CURLE_OK) throw std::runtime_error("curl_global_init failed");

  const Strategy strategy = strategy_named(params.variant);
  const std::string base = fixture_url();  // may start an in-process server: untimed, here
  std::string url = base + "/gallery/" + std::to_string(params.size) + "?size=" + std::to_string(kImageBytes) +
                    "&image_delay=" + std::to_string(kDelayMs);
  if (params.size > 0) {
    std::uint64_t state = params.seed;
    url += "&dup=" + std::to_string(next_random(state) % params.size);
    url += "&fail=" + std::to_string(next_random(state) % params.size);
  }
  return std::make_unique<ImageDownloaderWorkload>(base, std::move(url), strategy, params.workers);
}

}  // namespace parlab::bench
