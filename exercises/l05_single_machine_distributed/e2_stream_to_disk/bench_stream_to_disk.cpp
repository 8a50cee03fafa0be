// Given, do not modify: the bench adapter of exercise 5.2, stream_to_disk (see bench.hpp).
//
// Workload: `size` files of the fixture's /file/<id>, each 24 MiB sent at 24 MiB/s per connection,
// ids drawn from the seed. One download after another takes about size x 1 s; `workers` at once
// (the grader's --workers is stream_to_disk's max_in_flight) about ceil(size / workers) x 1 s.
// The files go into a fresh folder under the working folder (the grader runs each bench in a
// scratch folder of its own), removed, files and all, when the workload ends: a timed grading
// makes dozens of runs, and each leaves size x 24 MiB behind until then.
// The digest reads every file back piece by piece, so the bench process itself never holds a
// file: its peak memory (rusage, which the grader reports beside the bytes moved) is the code
// under test's.
#include <curl/curl.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "bench.hpp"
#include "digest.hpp"
#include "fixture_env.hpp"
#include "stream_to_disk.hpp"

namespace parlab::bench {
namespace {

constexpr std::uint64_t kFileBytes = 24ull << 20;
constexpr std::uint64_t kRateBytesPerSecond = 24ull << 20;
constexpr std::size_t kReadPiece = 1 << 20;  // the digest's read buffer

// splitmix64: a small, fixed generator, so the workload is the same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::filesystem::path make_scratch_folder() {
  std::string pattern = (std::filesystem::current_path() / "stream-to-disk-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::system_error(errno, std::generic_category(), "mkdtemp");
  return pattern;
}

// The SHA-1 of a file's bytes, read a piece at a time; "missing" when there is no such file.
std::string file_digest(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "missing";
  Sha1 sha;
  std::vector<char> piece(kReadPiece);
  while (in.read(piece.data(), static_cast<std::streamsize>(piece.size())) || in.gcount() > 0) {
    sha.update(std::string_view(piece.data(), static_cast<std::size_t>(in.gcount())));
  }
  return sha.hex();
}

class StreamToDiskWorkload final : public Workload {
 public:
  StreamToDiskWorkload(const std::string& base, const Params& params)
      : max_in_flight_(params.workers), folder_(make_scratch_folder()) {
    std::uint64_t state = params.seed;
    const std::uint64_t first_id = next_random(state) % 1000000;
    for (std::size_t i = 0; i < params.size; ++i) {
      const std::uint64_t id = first_id + i;
      downloads_.push_back(Download{base + "/file/" + std::to_string(id) + "?size=" + std::to_string(kFileBytes) +
                                        "&rate=" + std::to_string(kRateBytesPerSecond),
                                    folder_ / ("file-" + std::to_string(i) + ".bin")});
    }
  }

  ~StreamToDiskWorkload() override {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  void run_sequential() override { results_ = stream_to_disk_sequential(downloads_); }
  void run_student() override { results_ = stream_to_disk(downloads_, max_in_flight_); }

  // Every result in order, then every destination's bytes as read back from disk (or "missing"),
  // and the names of anything else left in the folder, such as a .part file.
  std::string digest() const override {
    Sha1 sha;
    sha.update(std::to_string(results_.size())).update("\n");
    for (std::size_t i = 0; i < results_.size(); ++i) {
      const DownloadResult& r = results_[i];
      sha.update(std::to_string(r.status)).update(" ").update(std::to_string(r.bytes)).update(" ");
      sha.update(r.error).update("\n");
      sha.update(file_digest(downloads_[i].destination)).update("\n");
    }
    std::vector<std::string> extra;
    for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
      const std::filesystem::path name = entry.path().filename();
      if (!name.string().starts_with("file-") || name.extension() != ".bin") extra.push_back(name.string());
    }
    std::sort(extra.begin(), extra.end());  // the folder's own order is arbitrary
    for (const std::string& name : extra) sha.update("extra ").update(name).update("\n");
    return sha.hex();
  }

  std::uint64_t bytes_moved() const override {
    std::uint64_t total = 0;
    for (const DownloadResult& r : results_) total += r.bytes;
    return total;
  }

 private:
  unsigned max_in_flight_;
  std::filesystem::path folder_;  // ours: removed with everything in it
  std::vector<Download> downloads_;
  std::vector<DownloadResult> results_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  // The bench driver leaves libcurl to the adapter: initialize it once, before any thread.
  static const CURLcode curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (curl_ready != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  const std::string base = fixture_url();  // may start an in-process server: untimed, here
  return std::make_unique<StreamToDiskWorkload>(base, params);
}

}  // namespace parlab::bench
