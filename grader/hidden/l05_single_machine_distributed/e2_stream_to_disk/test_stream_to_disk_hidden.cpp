// Hidden test: exercise 5.2 stream_to_disk, the grader's own cases beyond the public tests.
//
//   EmptyListMakesNoRequest               N = 0: no result, no request, no file, for any cap
//   AResetIsRecordedAndLeavesNoFile       /fault/reset: libcurl's error, status 0, no file
//   ATruncatedBodyLeavesNoPartialFile     /fault/truncate: half a body written, then removed
//   AFailedDownloadKeepsTheOlderFile      an older file is replaced by a whole file only
//   ARefusedConnectionIsRecorded          nothing listens: its error, the others complete
//   AMissingFolderIsAnErrorWithoutARequest  the .part cannot be created: error, no request
//   ADestinationThatIsAFolderIsAnError    the rename fails: error, the folder untouched, no .part
//   AnEmptyFileIsWritten                  a body of zero bytes is a file of zero bytes
//   DuplicateUrlsAreFetchedAsOftenAsListed  one URL, three destinations, three requests
//   TheCapIsNeverExceeded                 the server's peak of file requests in flight for caps
//                                         1, 3 and 5, and a cap larger than the list (that they
//                                         overlap at all is the speedup part's evidence: the
//                                         sequential starter must pass every test)
//   ManySmallFilesEachFetchedOnce         40 files under a cap of 7
//   ALargeFileAtFullSpeedIsWhole          16 MiB unpaced, beside a paced one
//   MatchesTheBaselineWithEveryKindOfFailure  results and folder equal to the baseline's, caps 1-8
//   FailuresDoNotStallTheWindow           a window of 2 through a row of failures
//   DestinationsThatNameNoFileAreRejected, ZeroCapIsRejectedBeforeAnything
//   StartsNoThread                        the call runs on the calling thread alone
//   CallsFromSeveralThreads, RepeatedCallsReplaceTheFiles
//
// Memory is the speedup part's evidence (max_rss_mb), not a test: see the public tests' comment.
// A test that runs past its PARLAB_WITHIN deadline means the event loop never finished: a
// transfer never reaped, a free slot never refilled, or a wait for news that cannot come.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "deadline.hpp"
#include "stream_to_disk.hpp"
#include "stream_to_disk_testing.hpp"

namespace {

using namespace std::chrono_literals;
using namespace parlab::stream_testing;
using parlab::Download;
using parlab::DownloadResult;
using parlab::stream_to_disk;

std::string curl_error(CURLcode code) { return curl_easy_strerror(code); }

// Threads of this process right now.
std::size_t thread_count() {
  const std::filesystem::directory_iterator tasks("/proc/self/task");
  return static_cast<std::size_t>(std::distance(begin(tasks), end(tasks)));
}

TEST(StreamToDiskHidden, EmptyListMakesNoRequest) {
  PARLAB_WITHIN(20s, kHang) {
    const ScratchFolder scratch;
    known_seed_server().reset_stats();
    for (unsigned cap : {1u, 8u}) {
      EXPECT_TRUE(stream_to_disk({}, cap).empty()) << "max_in_flight = " << cap;
    }
    EXPECT_EQ(known_seed_server().stats().at("total").requests, 0u) << "an empty list makes no request";
    EXPECT_TRUE(files_in(scratch.path()).empty());
  };
}

TEST(StreamToDiskHidden, AResetIsRecordedAndLeavesNoFile) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    const std::vector<Download> downloads = {file_download(scratch.path(), "a.bin", 1, 50000),
                                             Download{known_url("/fault/reset"), scratch / "reset.bin"},
                                             file_download(scratch.path(), "c.bin", 2, 70000)};
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 3);
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[1], (DownloadResult{0, 0, curl_error(CURLE_RECV_ERROR)}))
        << "a reset before any response: libcurl's error, and no status";
    expect_file_is(scratch / "a.bin", 1, 50000);
    expect_file_is(scratch / "c.bin", 2, 70000);
    expect_folder_holds(scratch.path(), {"a.bin", "c.bin"});
  };
}

TEST(StreamToDiskHidden, ATruncatedBodyLeavesNoPartialFile) {
  PARLAB_WITHIN(30s, kHang) {
    // The server announces 2 MB and sends 1 MB of it: the first half lands in the .part file
    // before the transfer fails, and must not stay behind, under either name.
    const ScratchFolder scratch;
    const std::vector<Download> downloads = {Download{known_url("/fault/truncate?size=2000000"), scratch / "cut.bin"},
                                             file_download(scratch.path(), "whole.bin", 3, 300000)};
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 2);
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0], (DownloadResult{200, 0, curl_error(CURLE_PARTIAL_FILE)}))
        << "a truncated body is a failed download, whatever its status";
    EXPECT_TRUE(results[1].ok()) << results[1].error;
    expect_file_is(scratch / "whole.bin", 3, 300000);
    expect_folder_holds(scratch.path(), {"whole.bin"});
  };
}

TEST(StreamToDiskHidden, AFailedDownloadKeepsTheOlderFile) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    write_file(scratch / "kept.bin", "older, kept");
    write_file(scratch / "gone.bin", "older, gone");
    write_file(scratch / "replaced.bin", "older, replaced");
    const std::vector<Download> downloads = {Download{known_url("/fault/truncate?size=100000"), scratch / "kept.bin"},
                                             Download{known_url("/file/none"), scratch / "gone.bin"},
                                             file_download(scratch.path(), "replaced.bin", 4, 150000)};
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 3);
    ASSERT_EQ(results.size(), 3u);
    EXPECT_FALSE(results[0].ok());
    EXPECT_EQ(results[1], (DownloadResult{404, 0, "HTTP status 404"}));
    EXPECT_EQ(read_file(scratch / "kept.bin"), "older, kept") << "a truncated download must not touch the older file";
    EXPECT_EQ(read_file(scratch / "gone.bin"), "older, gone") << "a 404 must not touch the older file";
    EXPECT_EQ(results[2], (DownloadResult{200, 150000, ""}));
    expect_file_is(scratch / "replaced.bin", 4, 150000);
    expect_folder_holds(scratch.path(), {"gone.bin", "kept.bin", "replaced.bin"});
  };
}

TEST(StreamToDiskHidden, ARefusedConnectionIsRecorded) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    const std::vector<Download> downloads = {Download{known_seed_server().refused_url() + "file/1", scratch / "r.bin"},
                                             file_download(scratch.path(), "ok.bin", 5, 40000)};
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 2);
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0], (DownloadResult{0, 0, curl_error(CURLE_COULDNT_CONNECT)}));
    expect_file_is(scratch / "ok.bin", 5, 40000);
    expect_folder_holds(scratch.path(), {"ok.bin"});
  };
}

TEST(StreamToDiskHidden, AMissingFolderIsAnErrorWithoutARequest) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    const std::filesystem::path nowhere = scratch / "missing" / "x.bin";
    const std::vector<Download> downloads = {file_download(scratch.path(), "a.bin", 6, 30000),
                                             Download{file_url(7, 30000), nowhere},
                                             file_download(scratch.path(), "b.bin", 8, 30000)};
    known_seed_server().reset_stats();
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 1);
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[1],
              (DownloadResult{0, 0, "cannot write " + nowhere.string() + ".part: No such file or directory"}));
    EXPECT_EQ(file_requests(), 2u) << "a download whose file cannot be created makes no request";
    EXPECT_FALSE(std::filesystem::exists(scratch / "missing")) << "the folder is not created";
    expect_file_is(scratch / "a.bin", 6, 30000);
    expect_file_is(scratch / "b.bin", 8, 30000);
  };
}

TEST(StreamToDiskHidden, ADestinationThatIsAFolderIsAnError) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    std::filesystem::create_directory(scratch / "taken");
    write_file(scratch / "taken" / "inside.txt", "mine");
    const std::vector<Download> downloads = {Download{file_url(9, 60000), scratch / "taken"},
                                             file_download(scratch.path(), "free.bin", 10, 60000)};
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 2);
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0],
              (DownloadResult{200, 0, "cannot write " + (scratch / "taken").string() + ": Is a directory"}));
    EXPECT_EQ(read_file(scratch / "taken" / "inside.txt"), "mine") << "the folder must be left as it was";
    expect_file_is(scratch / "free.bin", 10, 60000);
    expect_folder_holds(scratch.path(), {"free.bin", "taken"});
  };
}

TEST(StreamToDiskHidden, AnEmptyFileIsWritten) {
  PARLAB_WITHIN(20s, kHang) {
    const ScratchFolder scratch;
    const std::vector<DownloadResult> results = stream_to_disk({file_download(scratch.path(), "empty.bin", 11, 0)}, 4);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0], (DownloadResult{200, 0, ""}));
    ASSERT_TRUE(std::filesystem::is_regular_file(scratch / "empty.bin")) << "an empty body is still a file";
    EXPECT_EQ(std::filesystem::file_size(scratch / "empty.bin"), 0u);
    expect_folder_holds(scratch.path(), {"empty.bin"});
  };
}

TEST(StreamToDiskHidden, DuplicateUrlsAreFetchedAsOftenAsListed) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    const std::string url = file_url(12, 123457);
    const std::vector<Download> downloads = {{url, scratch / "one"}, {url, scratch / "two"}, {url, scratch / "three"}};
    known_seed_server().reset_stats();
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 2);
    EXPECT_EQ(file_requests(), 3u) << "a URL listed three times is requested three times";
    ASSERT_EQ(results.size(), 3u);
    for (const char* name : {"one", "two", "three"}) expect_file_is(scratch / name, 12, 123457);
  };
}

TEST(StreamToDiskHidden, TheCapIsNeverExceeded) {
  PARLAB_WITHIN(90s, kHang) {
    // Twelve files of 256 KiB at 1 MiB/s: each transfer stays open about a quarter of a second,
    // long enough for the server to see every transfer a window keeps open.
    const ScratchFolder scratch;
    std::vector<Download> downloads;
    for (std::uint64_t i = 0; i < 12; ++i) {
      downloads.push_back(file_download(scratch.path(), std::to_string(i) + ".bin", 100 + i, 256 << 10, 1 << 20));
    }
    for (unsigned cap : {1u, 3u, 5u, 100u}) {
      SCOPED_TRACE("max_in_flight = " + std::to_string(cap));
      empty_folder(scratch.path());
      known_seed_server().reset_stats();
      const std::vector<DownloadResult> results = stream_to_disk(downloads, cap);
      ASSERT_EQ(results.size(), downloads.size());
      for (const DownloadResult& r : results) EXPECT_EQ(r, (DownloadResult{200, 256 << 10, ""}));
      EXPECT_LE(file_peak_in_flight(), cap) << "more transfers open at once than max_in_flight allows";
      EXPECT_EQ(file_requests(), downloads.size());
    }
  };
}

TEST(StreamToDiskHidden, ManySmallFilesEachFetchedOnce) {
  PARLAB_WITHIN(60s, kHang) {
    const ScratchFolder scratch;
    std::vector<Download> downloads;
    std::vector<std::string> names;
    for (std::uint64_t i = 0; i < 40; ++i) {
      names.push_back("small-" + std::to_string(i));
      downloads.push_back(file_download(scratch.path(), names.back(), 200 + i, 32768 + i));
    }
    known_seed_server().reset_stats();
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 7);
    EXPECT_EQ(file_requests(), 40u) << "every file must be requested exactly once";
    EXPECT_LE(file_peak_in_flight(), 7u);
    ASSERT_EQ(results.size(), 40u);
    for (std::uint64_t i = 0; i < 40; ++i) {
      EXPECT_EQ(results[i], (DownloadResult{200, 32768 + i, ""})) << "result " << i;
      expect_file_is(scratch / names[i], 200 + i, 32768 + i);
    }
    expect_folder_holds(scratch.path(), names);
  };
}

TEST(StreamToDiskHidden, ALargeFileAtFullSpeedIsWhole) {
  PARLAB_WITHIN(120s, kHang) {
    const ScratchFolder scratch;
    const std::vector<Download> downloads = {file_download(scratch.path(), "big.bin", 13, 16 << 20),
                                             file_download(scratch.path(), "paced.bin", 14, 1 << 20, 4 << 20)};
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 2);
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0], (DownloadResult{200, 16 << 20, ""}));
    EXPECT_EQ(results[1], (DownloadResult{200, 1 << 20, ""}));
    expect_file_is(scratch / "big.bin", 13, 16 << 20);
    expect_file_is(scratch / "paced.bin", 14, 1 << 20);
  };
}

TEST(StreamToDiskHidden, MatchesTheBaselineWithEveryKindOfFailure) {
  PARLAB_WITHIN(120s, kHang) {
    const ScratchFolder scratch;
    const std::vector<Download> downloads = {
        file_download(scratch.path(), "g0.bin", 300, 80000),
        Download{known_url("/fault/reset"), scratch / "reset.bin"},
        Download{known_url("/file/none"), scratch / "none.bin"},
        file_download(scratch.path(), "g1.bin", 301, 1),
        Download{known_url("/fault/truncate?size=50000"), scratch / "cut.bin"},
        Download{file_url(302, 5000), scratch / "nowhere" / "x.bin"},
        Download{known_url("/status/500"), scratch / "server-error.bin"},
        Download{known_url("/redirect/1"), scratch / "redirect.bin"},
        Download{file_url(303, 9000), scratch / "dir"},
        Download{known_seed_server().refused_url(), scratch / "refused.bin"},
        Download{known_url("/fault/trickle?size=3000&chunk=500&interval=10"), scratch / "trickle.bin"},
        file_download(scratch.path(), "g2.bin", 304, 200000, 2 << 20),
        file_download(scratch.path(), "kept.bin", 305, 0),
    };
    const auto prepare = [&] {
      std::filesystem::create_directory(scratch / "dir");
      write_file(scratch / "cut.bin", "older");
    };
    for (unsigned cap : {1u, 2u, 3u, 8u}) {
      SCOPED_TRACE("max_in_flight = " + std::to_string(cap));
      expect_same_as_baseline(downloads, scratch.path(), cap, prepare);
    }
  };
}

TEST(StreamToDiskHidden, FailuresDoNotStallTheWindow) {
  PARLAB_WITHIN(30s, kHang) {
    // With a window of 2, every failure (including one that never starts) must free its slot.
    const ScratchFolder scratch;
    std::vector<Download> downloads;
    for (int i = 0; i < 3; ++i) {
      const std::string n = std::to_string(i);
      downloads.push_back(Download{known_url("/fault/reset"), scratch / ("reset" + n)});
      downloads.push_back(Download{file_url(400 + i, 1000), scratch / "missing" / n});
      downloads.push_back(Download{known_url("/status/503"), scratch / ("busy" + n)});
      downloads.push_back(file_download(scratch.path(), "ok" + n, 410 + i, 20000));
    }
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 2);
    ASSERT_EQ(results.size(), downloads.size());
    for (int i = 0; i < 3; ++i) {
      SCOPED_TRACE("round " + std::to_string(i));
      EXPECT_EQ(results[4 * i].status, 0);
      EXPECT_FALSE(results[4 * i].ok());
      EXPECT_EQ(results[4 * i + 1].status, 0);
      EXPECT_EQ(results[4 * i + 1].error.rfind("cannot write ", 0), 0u) << results[4 * i + 1].error;
      EXPECT_EQ(results[4 * i + 2], (DownloadResult{503, 0, "HTTP status 503"}));
      EXPECT_EQ(results[4 * i + 3], (DownloadResult{200, 20000, ""}));
      expect_file_is(scratch / ("ok" + std::to_string(i)), 410 + i, 20000);
    }
    expect_folder_holds(scratch.path(), {"ok0", "ok1", "ok2"});
  };
}

TEST(StreamToDiskHidden, DestinationsThatNameNoFileAreRejected) {
  const ScratchFolder scratch;
  known_seed_server().reset_stats();
  EXPECT_THROW(stream_to_disk({Download{file_url(1, 10), scratch.path() / ""}}, 2), std::invalid_argument)
      << "a path ending in '/' names a folder, not a file";
  EXPECT_THROW(stream_to_disk({Download{file_url(1, 10), std::filesystem::path()}}, 2), std::invalid_argument);
  EXPECT_THROW(
      stream_to_disk({file_download(scratch.path(), "a", 1, 10), file_download(scratch.path(), "a", 2, 10)}, 1),
      std::invalid_argument);
  EXPECT_EQ(known_seed_server().stats().at("total").requests, 0u) << "no request may be made";
  EXPECT_TRUE(files_in(scratch.path()).empty()) << "no file may be written";
}

TEST(StreamToDiskHidden, ZeroCapIsRejectedBeforeAnything) {
  const ScratchFolder scratch;
  known_seed_server().reset_stats();
  EXPECT_THROW(stream_to_disk({}, 0), std::invalid_argument);
  EXPECT_THROW(stream_to_disk({file_download(scratch.path(), "a", 1, 10)}, 0), std::invalid_argument);
  EXPECT_EQ(known_seed_server().stats().at("total").requests, 0u);
  EXPECT_TRUE(files_in(scratch.path()).empty());
}

TEST(StreamToDiskHidden, StartsNoThread) {
  PARLAB_WITHIN(30s, kHang) {
    // Watches this process's threads while stream_to_disk runs 8 paced files in a window of 4. The
    // watcher is one thread of its own; any other new thread was started by the call.
    const ScratchFolder scratch;
    std::vector<Download> downloads;
    for (std::uint64_t i = 0; i < 8; ++i) {
      downloads.push_back(file_download(scratch.path(), std::to_string(i), 500 + i, 128 << 10, 1 << 20));
    }
    known_seed_server();  // the server's thread starts now, not during the call
    const std::size_t before = thread_count();
    std::atomic<bool> done{false};
    std::atomic<std::size_t> most{0};
    std::jthread watcher([&] {
      while (!done.load()) {
        most.store(std::max(most.load(), thread_count()));
        std::this_thread::sleep_for(1ms);
      }
    });
    const std::vector<DownloadResult> results = stream_to_disk(downloads, 4);
    done.store(true);
    watcher.join();
    EXPECT_EQ(results.size(), downloads.size());
    EXPECT_LE(most.load(), before + 1) << "stream_to_disk started threads: it must run on the calling thread alone";
  };
}

TEST(StreamToDiskHidden, CallsFromSeveralThreads) {
  PARLAB_WITHIN(60s, kHang) {
    // Each thread runs an event loop of its own into a folder of its own; nothing may be shared.
    constexpr std::size_t kThreads = 3;
    constexpr std::uint64_t kFiles = 5;
    std::vector<std::unique_ptr<ScratchFolder>> folders;
    for (std::size_t t = 0; t < kThreads; ++t) folders.push_back(std::make_unique<ScratchFolder>());
    std::vector<std::vector<DownloadResult>> results(kThreads);
    {
      std::vector<std::jthread> threads;
      for (std::size_t t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
          std::vector<Download> downloads;
          for (std::uint64_t i = 0; i < kFiles; ++i) {
            downloads.push_back(file_download(folders[t]->path(), std::to_string(i), 600 + 10 * t + i, 70000 + i));
          }
          results[t] = stream_to_disk(downloads, static_cast<unsigned>(t + 1));
        });
      }
    }
    for (std::size_t t = 0; t < kThreads; ++t) {
      SCOPED_TRACE("thread " + std::to_string(t));
      ASSERT_EQ(results[t].size(), kFiles);
      for (std::uint64_t i = 0; i < kFiles; ++i) {
        EXPECT_EQ(results[t][i], (DownloadResult{200, 70000 + i, ""}));
        expect_file_is(folders[t]->path() / std::to_string(i), 600 + 10 * t + i, 70000 + i);
      }
    }
  };
}

TEST(StreamToDiskHidden, RepeatedCallsReplaceTheFiles) {
  PARLAB_WITHIN(30s, kHang) {
    // The second call downloads other bytes to the same names: each file is replaced whole.
    const ScratchFolder scratch;
    for (std::uint64_t round = 0; round < 2; ++round) {
      std::vector<Download> downloads;
      for (std::uint64_t i = 0; i < 4; ++i) {
        downloads.push_back(file_download(scratch.path(), "f" + std::to_string(i), 700 + 10 * round + i, 90000));
      }
      const std::vector<DownloadResult> results = stream_to_disk(downloads, 3);
      ASSERT_EQ(results.size(), 4u);
      for (std::uint64_t i = 0; i < 4; ++i) {
        expect_file_is(scratch / ("f" + std::to_string(i)), 700 + 10 * round + i, 90000);
      }
    }
    expect_folder_holds(scratch.path(), {"f0", "f1", "f2", "f3"});
  };
}

}  // namespace
