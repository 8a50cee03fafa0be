// Test: exercise 3.1 image_downloader, public tests. You may add your own.
//
// Every test runs once per strategy (processes, thread_pool, queue) against the tests' own fixture
// server, whose images are known byte for byte. A test that runs past its PARLAB_WITHIN deadline
// means a download never finished: a thread left waiting on an empty queue, a worker process never
// told to finish, or a join that never returns.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "deadline.hpp"
#include "digest.hpp"
#include "image_downloader.hpp"
#include "image_downloader_testing.hpp"

namespace {

using namespace std::chrono_literals;
using namespace parlab::testing_support;
using parlab::GalleryReport;
using parlab::ImageResult;
using parlab::Strategy;

class ImageDownloader : public StrategyTest {};

TEST_P(ImageDownloader, FilesAreWholeAndEqualToTheServersImages) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    const GalleryReport report = download(gallery_url(6, 5000), scratch.path(), 3);
    ASSERT_EQ(report.images.size(), 6u);
    EXPECT_EQ(report.listed, 6u);
    for (const ImageResult& image : report.images) {
      EXPECT_EQ(image.status, 200) << image.name;
      EXPECT_EQ(image.error, "") << image.name;
      const std::string expected = expected_bytes(image.url, 5000);
      EXPECT_EQ(read_file(scratch / image.name), expected) << image.name << " is not the server's image";
      EXPECT_EQ(image.bytes, expected.size());
      EXPECT_EQ(image.sha1, parlab::sha1_hex(expected));
    }
    expect_folder_matches(scratch.path(), report);
  };
}

TEST_P(ImageDownloader, MatchesTheBaselineForSeveralWorkerCounts) {
  PARLAB_WITHIN(60s, kHang) {
    const std::string url = gallery_url(9, 3000, "&image_delay=5");
    const ScratchFolder baseline;
    const GalleryReport expected = parlab::download_gallery_sequential(url, baseline.path());
    for (unsigned workers : {1u, 2u, 4u}) {
      SCOPED_TRACE("workers = " + std::to_string(workers));
      const ScratchFolder scratch;
      const GalleryReport report = download(url, scratch.path(), workers);
      expect_same_report(report, expected);
      expect_folder_matches(scratch.path(), report);
    }
  };
}

TEST_P(ImageDownloader, ResultsComeInListingOrder) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    const GalleryReport report = download(gallery_url(12, 2000, "&image_delay=10"), scratch.path(), 4);
    const std::vector<std::string> names = listed_names(12);
    ASSERT_EQ(report.images.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(report.images[i].name, names[i]) << "result " << i << " is not for the listing's entry " << i;
    }
  };
}

TEST_P(ImageDownloader, CreatesAMissingFolder) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    const std::filesystem::path folder = scratch / "gallery" / "today";
    const GalleryReport report = download(gallery_url(3), folder, 2);
    ASSERT_TRUE(std::filesystem::is_directory(folder)) << "the folder and its parent must be created";
    expect_folder_matches(folder, report);
    EXPECT_EQ(report.failed(), 0u);
  };
}

TEST_P(ImageDownloader, AFailingImageIsReportedAndTheOthersComplete) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    const GalleryReport report = download(gallery_url(5, 4096, "&fail=2"), scratch.path(), 3);
    ASSERT_EQ(report.images.size(), 5u);
    const ImageResult& failed = report.images[2];
    EXPECT_EQ(failed.status, 500);
    EXPECT_EQ(failed.error, "HTTP status 500");
    EXPECT_EQ(failed.bytes, 0u);
    EXPECT_EQ(failed.sha1, "");
    EXPECT_FALSE(std::filesystem::exists(scratch / failed.name)) << "a failed image leaves no file";
    EXPECT_FALSE(std::filesystem::exists(scratch / (failed.name + ".part"))) << "nor a .part file";
    for (std::size_t i : {0u, 1u, 3u, 4u}) {
      EXPECT_EQ(report.images[i].error, "") << "a failing image must not spoil the others";
      EXPECT_EQ(read_file(scratch / report.images[i].name), expected_bytes(report.images[i].url, 4096));
    }
    EXPECT_EQ(report.failed(), 1u);
    expect_folder_matches(scratch.path(), report);
  };
}

TEST_P(ImageDownloader, EveryImageIsFetchedOnce) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    known_seed_server().reset_stats();
    const GalleryReport report = download(gallery_url(10, 2048, "&image_delay=5"), scratch.path(), 4);
    EXPECT_EQ(report.images.size(), 10u);
    EXPECT_EQ(gallery_requests(), 1u) << "the listing is read once";
    EXPECT_EQ(image_requests(), 10u) << "every image must be requested exactly once";
  };
}

TEST_P(ImageDownloader, ZeroWorkersIsRejectedBeforeAnything) {
  const ScratchFolder scratch;
  known_seed_server().reset_stats();
  EXPECT_THROW(download(gallery_url(2), scratch / "new", 0), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(scratch / "new")) << "no folder may be created";
  EXPECT_EQ(gallery_requests(), 0u) << "no request may be made";
}

INSTANTIATE_TEST_SUITE_P(Strategies, ImageDownloader, ::testing::ValuesIn(kStrategies),
                         [](const ::testing::TestParamInfo<Strategy>& info) { return name_of(info.param); });

}  // namespace
