// Test support, given: what the public and the hidden tests of exercise 5.2 share.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "digest.hpp"
#include "fixture_files.hpp"
#include "fixture_server.hpp"
#include "stream_to_disk.hpp"

namespace parlab {

// How GoogleTest prints a result when an expectation fails.
inline void PrintTo(const DownloadResult& r, std::ostream* os) {
  *os << "{status " << r.status << ", bytes " << r.bytes << ", error \"" << r.error << "\"}";
}

namespace stream_testing {

// A fixture server of the tests' own, with a seed they know, so that every file's bytes follow
// from fixture_files.hpp, and its request counts belong to this test binary alone (tests run one
// after another; each resets the counts first). Started on first use; deliberately leaked, since
// tests may still talk to it while static destructors run.
inline constexpr std::uint64_t kKnownSeed = 5202;

inline fixture::Server& known_seed_server() {
  static auto* server = new fixture::Server(fixture::Options{.seed = kKnownSeed});
  return *server;
}

// "<server>/file/<id>?size=<size>", paced at `rate` bytes per second per connection (0: as fast as
// the connection drains).
inline std::string file_url(std::uint64_t id, std::uint64_t size, std::uint64_t rate = 0) {
  std::string url = known_seed_server().url() + "/file/" + std::to_string(id) + "?size=" + std::to_string(size);
  if (rate > 0) url += "&rate=" + std::to_string(rate);
  return url;
}

// Any other path on the known server: "<server><path>" ("/status/404", "/fault/reset", ...).
inline std::string known_url(const std::string& path) { return known_seed_server().url() + path; }

inline std::uint64_t file_requests() { return known_seed_server().stats().at("file").requests; }
inline std::uint64_t file_peak_in_flight() { return known_seed_server().stats().at("file").peak_in_flight; }

// Pieces of this size keep the checks' own memory small, whatever the file's size.
inline constexpr std::size_t kCheckPiece = 1 << 20;

// The SHA-1 of what the known server sends for /file/<id>?size=<size>, made piece by piece.
inline std::string expected_sha1(std::uint64_t id, std::uint64_t size) {
  Sha1 sha;
  std::vector<char> piece(kCheckPiece);
  for (std::uint64_t offset = 0; offset < size;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), size - offset));
    fixture::file_bytes(kKnownSeed, id, offset, std::span<char>(piece.data(), n));
    sha.update(std::string_view(piece.data(), n));
    offset += n;
  }
  return sha.hex();
}

// The SHA-1 of a file on disk, read piece by piece. Throws std::runtime_error when it cannot be read.
inline std::string file_sha1(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  Sha1 sha;
  std::vector<char> piece(kCheckPiece);
  while (in.read(piece.data(), static_cast<std::streamsize>(piece.size())) || in.gcount() > 0) {
    sha.update(std::string_view(piece.data(), static_cast<std::size_t>(in.gcount())));
  }
  return sha.hex();
}

// Expects `path` to hold exactly the known server's /file/<id>?size=<size>.
inline void expect_file_is(const std::filesystem::path& path, std::uint64_t id, std::uint64_t size) {
  ASSERT_TRUE(std::filesystem::is_regular_file(path)) << path << " is missing";
  EXPECT_EQ(std::filesystem::file_size(path), size) << path << " has the wrong size";
  EXPECT_EQ(file_sha1(path), expected_sha1(id, size)) << path << " is not the server's file";
}

// For small files only: the whole content.
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
    std::string pattern = (std::filesystem::temp_directory_path() / "parlab-5.2-XXXXXX").string();
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

// One download of the known server's /file/<id>?size=<size> into folder/<name>.
inline Download file_download(const std::filesystem::path& folder, const std::string& name, std::uint64_t id,
                              std::uint64_t size, std::uint64_t rate = 0) {
  return Download{file_url(id, size, rate), folder / name};
}

// Equal results in the same order; a failure names the first index that differs.
inline void expect_same_results(const std::vector<DownloadResult>& actual,
                                const std::vector<DownloadResult>& expected) {
  ASSERT_EQ(actual.size(), expected.size()) << "one result per download expected";
  for (std::size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << "first difference at index " << i;
  }
}

// What a folder holds: each entry's name with the SHA-1 of its bytes ("folder" for a folder).
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& folder) {
  std::map<std::string, std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    found[entry.path().filename()] = entry.is_directory() ? "folder" : file_sha1(entry.path());
  }
  return found;
}

// Removes everything inside `folder`, keeping the folder.
inline void empty_folder(const std::filesystem::path& folder) {
  for (const auto& entry : std::filesystem::directory_iterator(folder)) std::filesystem::remove_all(entry.path());
}

// Runs the baseline, then stream_to_disk with `max_in_flight`, on the same downloads into the same
// `folder`, emptied and set up by `prepare` before each; expects equal results and equal folders.
inline void expect_same_as_baseline(
    const std::vector<Download>& downloads, const std::filesystem::path& folder, unsigned max_in_flight,
    const std::function<void()>& prepare = [] {}) {
  empty_folder(folder);
  prepare();
  const std::vector<DownloadResult> expected = stream_to_disk_sequential(downloads);
  const std::map<std::string, std::string> expected_files = snapshot(folder);
  empty_folder(folder);
  prepare();
  const std::vector<DownloadResult> actual = stream_to_disk(downloads, max_in_flight);
  expect_same_results(actual, expected);
  EXPECT_EQ(snapshot(folder), expected_files) << "the folder differs from the baseline's";
}

// The folder holds exactly `names` (sorted or not), and no .part file.
inline void expect_folder_holds(const std::filesystem::path& folder, std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  EXPECT_EQ(files_in(folder), names) << "the folder must hold the good downloads and nothing else (no .part file)";
}

// What a test says when stream_to_disk hangs.
inline constexpr const char* kHang =
    "stream_to_disk never returned: a transfer never reaped, a slot never refilled, or a wait for news that "
    "cannot come";

}  // namespace stream_testing
}  // namespace parlab
