// Test support, given: what the public and the hidden tests of exercise 3.1 share.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "digest.hpp"
#include "fixture_content.hpp"
#include "fixture_server.hpp"
#include "image_downloader.hpp"

namespace parlab {

// How GoogleTest prints results when an expectation fails.
inline void PrintTo(const ImageResult& r, std::ostream* os) {
  *os << "{name " << r.name << ", url " << r.url << ", status " << r.status << ", bytes " << r.bytes << ", sha1 "
      << r.sha1 << ", error \"" << r.error << "\"}";
}

inline void PrintTo(Strategy strategy, std::ostream* os) {
  switch (strategy) {
    case Strategy::processes:
      *os << "processes";
      break;
    case Strategy::thread_pool:
      *os << "thread_pool";
      break;
    case Strategy::queue:
      *os << "queue";
      break;
  }
}

namespace testing_support {

inline constexpr Strategy kStrategies[] = {Strategy::processes, Strategy::thread_pool, Strategy::queue};

inline std::string name_of(Strategy strategy) {
  std::ostringstream out;
  PrintTo(strategy, &out);
  return out.str();
}

// A fixture server of the tests' own, with a seed they know, so that every image's bytes follow
// from fixture_content.hpp, and its request counts belong to this test binary alone (tests run
// one after another; each resets the counts first). Started on first use; deliberately leaked,
// since tests may still talk to it while static destructors run.
inline constexpr std::uint64_t kKnownSeed = 3031;

inline fixture::Server& known_seed_server() {
  static auto* server = new fixture::Server(fixture::Options{.seed = kKnownSeed});
  return *server;
}

// "<server>/gallery/<count>?size=<size>" plus `options` ("&fail=2", ...).
inline std::string gallery_url(std::size_t count, std::size_t image_size = 4096, const std::string& options = "") {
  return known_seed_server().url() + "/gallery/" + std::to_string(count) + "?size=" + std::to_string(image_size) +
         options;
}

inline std::uint64_t image_requests() { return known_seed_server().stats().at("image").requests; }
inline std::uint64_t gallery_requests() { return known_seed_server().stats().at("gallery").requests; }

// The id in ".../image/<id>?...".
inline std::uint64_t image_id_of(const std::string& url) {
  const std::size_t at = url.find("/image/");
  if (at == std::string::npos) throw std::invalid_argument("not an image URL: " + url);
  return std::stoull(url.substr(at + 7));
}

// What the known server sends for the image at `url`, `size` bytes long.
inline std::string expected_bytes(const std::string& url, std::size_t size) {
  return fixture::image_bytes(kKnownSeed, image_id_of(url), size);
}

// The names /gallery/<count> lists on the known server, in order, duplicates included.
inline std::vector<std::string> listed_names(std::size_t count, const fixture::GalleryOptions& options = {}) {
  const nlohmann::json listing = fixture::gallery_json(kKnownSeed, count, known_seed_server().port(), options);
  std::vector<std::string> names;
  for (const auto& entry : listing["images"]) {
    names.push_back(entry["name"].get<std::string>());
  }
  return names;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// The names of the entries of `folder`, sorted.
inline std::vector<std::string> files_in(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

// A fresh, empty folder of its own under the temp folder, removed with everything in it.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "parlab-3.1-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Same count listed, same images in the same order; a failure names the first index that differs.
inline void expect_same_report(const GalleryReport& actual, const GalleryReport& expected) {
  EXPECT_EQ(actual.listed, expected.listed);
  ASSERT_EQ(actual.images.size(), expected.images.size()) << "one result per distinct image expected";
  for (std::size_t i = 0; i < actual.images.size(); ++i) {
    ASSERT_EQ(actual.images[i], expected.images[i]) << "first difference at index " << i;
  }
}

// The folder holds exactly the report's good images, each file whole (its size and SHA-1 are the
// result's); no failed image, no .part file, nothing else.
inline void expect_folder_matches(const std::filesystem::path& folder, const GalleryReport& report) {
  std::vector<std::string> expected;
  for (const ImageResult& image : report.images) {
    if (!image.error.empty()) continue;
    expected.push_back(image.name);
    const std::string bytes = read_file(folder / image.name);
    EXPECT_EQ(bytes.size(), image.bytes) << image.name;
    EXPECT_EQ(sha1_hex(bytes), image.sha1) << image.name;
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(files_in(folder), expected) << "the folder must hold the good images and nothing else (no .part file)";
}

// What a test says when download_gallery hangs.
inline constexpr const char* kHang =
    "download_gallery never returned: a worker that never finished, a queue nobody closed, or a join that waits "
    "forever";

// The base of the public and hidden suites: each test runs once per strategy (GetParam()).
class StrategyTest : public ::testing::TestWithParam<Strategy> {
 protected:
  GalleryReport download(const std::string& url, const std::filesystem::path& folder, unsigned workers) {
    return download_gallery(url, folder, GetParam(), workers);
  }
};

}  // namespace testing_support
}  // namespace parlab
