// Test: exercise 5.2 stream_to_disk, public tests. You may add your own.
//
// Every test talks to the tests' own fixture server, whose /file/<id> bodies are known byte for
// byte (fixture_files.hpp), so a file on disk is checked by streaming a SHA-1 over it against one
// streamed over the expected bytes: neither side ever holds a whole file.
//   FilesAreWholeAndEqualToTheServersFiles   five files of odd sizes, byte for byte
//   ResultsComeInInputOrder                  a slow first file still comes back first
//   MatchesTheBaselineForSeveralCaps         results and folder equal to the baseline's, caps 1-16
//   EachDownloadIsFetchedOnce                the server counts one request per download
//   AMissingFileIsRecordedAndTheOthersComplete  a 404: its error, no file, no .part; the rest whole
//   ZeroCapIsRejected, DuplicateDestinationsAreRejectedBeforeAnyRequest
// Memory is not tested here: a test shares its process with GoogleTest and the other tests, so
// its peak resident memory says little about your function. The grader measures it instead, on
// the timed bench runs, each a process of its own (README: What the grader checks).
// A test that runs past its PARLAB_WITHIN deadline means the event loop never finished: a
// transfer never reaped, a slot never refilled, or a wait for news that cannot come.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "stream_to_disk.hpp"
#include "stream_to_disk_testing.hpp"

namespace {

using namespace std::chrono_literals;
using namespace parlab::stream_testing;
using parlab::Download;
using parlab::DownloadResult;

TEST(StreamToDisk, FilesAreWholeAndEqualToTheServersFiles) {
  PARLAB_WITHIN(60s, kHang) {
    const ScratchFolder scratch;
    const std::vector<std::uint64_t> sizes = {300000, 1, 65536, 1 << 20, 777777};
    std::vector<Download> downloads;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      names.push_back("f" + std::to_string(i) + ".bin");
      downloads.push_back(file_download(scratch.path(), names.back(), 10 + i, sizes[i]));
    }
    const std::vector<DownloadResult> results = parlab::stream_to_disk(downloads, 3);
    ASSERT_EQ(results.size(), sizes.size());
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      SCOPED_TRACE(names[i]);
      EXPECT_EQ(results[i], (DownloadResult{200, sizes[i], ""}));
      expect_file_is(scratch / names[i], 10 + i, sizes[i]);
    }
    expect_folder_holds(scratch.path(), names);
  };
}

TEST(StreamToDisk, ResultsComeInInputOrder) {
  PARLAB_WITHIN(60s, kHang) {
    // The first file trickles in over about half a second; the others are quick and finish first.
    const ScratchFolder scratch;
    std::vector<Download> downloads = {file_download(scratch.path(), "slow.bin", 1, 512 << 10, 1 << 20)};
    for (std::uint64_t i = 1; i <= 4; ++i) {
      downloads.push_back(file_download(scratch.path(), "quick" + std::to_string(i) + ".bin", 1 + i, 1000 * i));
    }
    const std::vector<DownloadResult> results = parlab::stream_to_disk(downloads, 5);
    ASSERT_EQ(results.size(), downloads.size());
    EXPECT_EQ(results[0].bytes, 512u << 10) << "result 0 is not the first download's";
    for (std::uint64_t i = 1; i <= 4; ++i) {
      EXPECT_EQ(results[i].bytes, 1000 * i) << "result " << i << " is not download " << i << "'s";
    }
  };
}

TEST(StreamToDisk, MatchesTheBaselineForSeveralCaps) {
  PARLAB_WITHIN(120s, kHang) {
    const ScratchFolder scratch;
    std::vector<Download> downloads;
    for (std::uint64_t i = 0; i < 5; ++i) {
      downloads.push_back(file_download(scratch.path(), "part" + std::to_string(i), 40 + i, 100000 + 31 * i));
    }
    downloads.insert(downloads.begin() + 2, Download{known_url("/file/none"), scratch / "absent.bin"});
    downloads.push_back(Download{file_url(50, 4096), scratch / "no-such-folder" / "x.bin"});
    for (unsigned cap : {1u, 2u, 4u, 16u}) {
      SCOPED_TRACE("max_in_flight = " + std::to_string(cap));
      expect_same_as_baseline(downloads, scratch.path(), cap);
    }
  };
}

TEST(StreamToDisk, EachDownloadIsFetchedOnce) {
  PARLAB_WITHIN(60s, kHang) {
    const ScratchFolder scratch;
    std::vector<Download> downloads;
    for (std::uint64_t i = 0; i < 6; ++i) {
      downloads.push_back(file_download(scratch.path(), std::to_string(i) + ".bin", 60 + i, 200000));
    }
    known_seed_server().reset_stats();
    const std::vector<DownloadResult> results = parlab::stream_to_disk(downloads, 4);
    EXPECT_EQ(results.size(), downloads.size());
    EXPECT_EQ(file_requests(), downloads.size()) << "every file must be requested exactly once";
  };
}

TEST(StreamToDisk, AMissingFileIsRecordedAndTheOthersComplete) {
  PARLAB_WITHIN(60s, kHang) {
    const ScratchFolder scratch;
    const std::vector<Download> downloads = {file_download(scratch.path(), "a.bin", 7, 90000),
                                             Download{known_url("/file/none"), scratch / "missing.bin"},
                                             file_download(scratch.path(), "c.bin", 8, 120000)};
    const std::vector<DownloadResult> results = parlab::stream_to_disk(downloads, 3);
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[1], (DownloadResult{404, 0, "HTTP status 404"}));
    EXPECT_FALSE(std::filesystem::exists(scratch / "missing.bin")) << "a failed download leaves no file";
    EXPECT_FALSE(std::filesystem::exists(scratch / "missing.bin.part")) << "nor a .part file";
    EXPECT_TRUE(results[0].ok() && results[2].ok()) << "a failing download must not spoil the others";
    expect_file_is(scratch / "a.bin", 7, 90000);
    expect_file_is(scratch / "c.bin", 8, 120000);
    expect_folder_holds(scratch.path(), {"a.bin", "c.bin"});
  };
}

TEST(StreamToDisk, ZeroCapIsRejected) {
  const ScratchFolder scratch;
  EXPECT_THROW(parlab::stream_to_disk({file_download(scratch.path(), "a.bin", 1, 10)}, 0), std::invalid_argument);
}

TEST(StreamToDisk, DuplicateDestinationsAreRejectedBeforeAnyRequest) {
  const ScratchFolder scratch;
  const std::vector<Download> downloads = {file_download(scratch.path(), "same.bin", 1, 1000),
                                           file_download(scratch.path(), "other.bin", 2, 1000),
                                           Download{file_url(3, 1000), scratch / "." / "same.bin"}};
  known_seed_server().reset_stats();
  EXPECT_THROW(parlab::stream_to_disk(downloads, 2), std::invalid_argument);
  EXPECT_EQ(file_requests(), 0u) << "no request may be made";
  EXPECT_TRUE(files_in(scratch.path()).empty()) << "no file may be written";
}

}  // namespace
