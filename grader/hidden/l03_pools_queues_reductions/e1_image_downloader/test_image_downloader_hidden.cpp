// Hidden test: exercise 3.1 image_downloader, the grader's own cases beyond the public tests.
//
// Every test runs once per strategy against the tests' own fixture server. A test that runs past
// its PARLAB_WITHIN deadline means a download never finished: a thread left waiting on an empty
// queue, a worker process never told to finish, or a join that never returns.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

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

class ImageDownloaderHidden : public StrategyTest {
 protected:
  // The strategy's report and folder against the baseline's, on a folder of each's own.
  GalleryReport expect_like_baseline(const std::string& url, unsigned workers) {
    const ScratchFolder baseline;
    const GalleryReport expected = parlab::download_gallery_sequential(url, baseline.path());
    const ScratchFolder scratch;
    const GalleryReport report = download(url, scratch.path(), workers);
    expect_same_report(report, expected);
    expect_folder_matches(scratch.path(), report);
    return report;
  }

  // A listing written to a file, read through a file:// URL: entries the fixture never serves.
  std::string file_gallery(const ScratchFolder& where, const nlohmann::json& images) {
    const std::filesystem::path path = where / "listing.json";
    write_file(path, nlohmann::json{{"images", images}}.dump());
    return "file://" + path.string();
  }
};

TEST_P(ImageDownloaderHidden, ServerErrorOnTheFirstAndTheLastImage) {
  PARLAB_WITHIN(30s, kHang) {
    for (const char* option : {"&fail=0", "&fail=6"}) {
      SCOPED_TRACE(option);
      known_seed_server().reset_stats();
      const ScratchFolder scratch;
      const GalleryReport report = download(gallery_url(7, 3000, option), scratch.path(), 3);
      ASSERT_EQ(report.images.size(), 7u);
      EXPECT_EQ(report.failed(), 1u);
      const ImageResult& failed = option == std::string("&fail=0") ? report.images.front() : report.images.back();
      EXPECT_EQ(failed.status, 500);
      EXPECT_EQ(failed.error, "HTTP status 500");
      EXPECT_EQ(image_requests(), 7u) << "a failing image is requested once too, never retried";
      expect_folder_matches(scratch.path(), report);
    }
  };
}

TEST_P(ImageDownloaderHidden, AnEmptyGalleryGivesAnEmptyFolder) {
  PARLAB_WITHIN(20s, kHang) {
    const ScratchFolder scratch;
    known_seed_server().reset_stats();
    const GalleryReport report = download(gallery_url(0), scratch / "empty", 4);
    EXPECT_EQ(report.listed, 0u);
    EXPECT_TRUE(report.images.empty());
    ASSERT_TRUE(std::filesystem::is_directory(scratch / "empty")) << "the folder is created even for no image";
    EXPECT_TRUE(files_in(scratch / "empty").empty());
    EXPECT_EQ(image_requests(), 0u);
  };
}

TEST_P(ImageDownloaderHidden, ADuplicateLinkIsFetchedAndReportedOnce) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    known_seed_server().reset_stats();
    const GalleryReport report = download(gallery_url(6, 2000, "&dup=1&image_delay=5"), scratch.path(), 4);
    EXPECT_EQ(report.listed, 7u) << "the listing has the duplicate";
    ASSERT_EQ(report.images.size(), 6u) << "the report does not";
    const std::vector<std::string> names = listed_names(6);
    for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(report.images[i].name, names[i]);
    EXPECT_EQ(image_requests(), 6u) << "the duplicate must not be downloaded a second time";
    expect_folder_matches(scratch.path(), report);
  };
}

TEST_P(ImageDownloaderHidden, ASameNameWithAnotherUrlKeepsTheFirstEntry) {
  PARLAB_WITHIN(20s, kHang) {
    const ScratchFolder listing;
    const std::string base = known_seed_server().url();
    const std::string url = file_gallery(listing, {{{"name", "a.jpg"}, {"url", base + "/image/1?size=100"}},
                                                   {{"name", "b.jpg"}, {"url", base + "/image/2?size=100"}},
                                                   {{"name", "a.jpg"}, {"url", base + "/image/3?size=100"}}});
    const GalleryReport report = expect_like_baseline(url, 3);
    EXPECT_EQ(report.listed, 3u);
    ASSERT_EQ(report.images.size(), 2u);
    EXPECT_EQ(report.images[0].url, base + "/image/1?size=100");
  };
}

TEST_P(ImageDownloaderHidden, ASlowTrickleCompletesWhole) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    const GalleryReport report = download(gallery_url(5, 32768, "&trickle=2"), scratch.path(), 2);
    ASSERT_EQ(report.images.size(), 5u);
    const ImageResult& slow = report.images[2];
    EXPECT_EQ(slow.error, "");
    EXPECT_EQ(read_file(scratch / slow.name), expected_bytes(slow.url, 32768)) << "the trickled image must be whole";
    expect_folder_matches(scratch.path(), report);
  };
}

TEST_P(ImageDownloaderHidden, MoreWorkersThanImages) {
  PARLAB_WITHIN(30s, "more workers than images and download_gallery never returned: an idle worker never stopped") {
    known_seed_server().reset_stats();
    const ScratchFolder scratch;
    const GalleryReport report = download(gallery_url(3, 2000, "&image_delay=20"), scratch.path(), 16);
    EXPECT_EQ(report.images.size(), 3u);
    EXPECT_EQ(report.failed(), 0u);
    EXPECT_LE(known_seed_server().stats().at("image").peak_in_flight, 3u);
    expect_folder_matches(scratch.path(), report);
  };
}

TEST_P(ImageDownloaderHidden, OneWorker) {
  PARLAB_WITHIN(30s, kHang) { expect_like_baseline(gallery_url(5, 3000, "&fail=3&dup=0"), 1); };
}

TEST_P(ImageDownloaderHidden, FiftyImagesEachFetchedOnce) {
  PARLAB_WITHIN(60s, kHang) {
    known_seed_server().reset_stats();
    const ScratchFolder scratch;
    const GalleryReport report = download(gallery_url(50, 8192, "&image_delay=5"), scratch.path(), 8);
    EXPECT_EQ(report.images.size(), 50u);
    EXPECT_EQ(report.failed(), 0u);
    EXPECT_EQ(image_requests(), 50u);
    expect_folder_matches(scratch.path(), report);
  };
}

TEST_P(ImageDownloaderHidden, NoPartFileIsLeftBehind) {
  PARLAB_WITHIN(30s, kHang) {
    const ScratchFolder scratch;
    const GalleryReport report = download(gallery_url(8, 20000, "&fail=5&trickle=1&dup=7"), scratch.path(), 4);
    EXPECT_EQ(report.failed(), 1u);
    for (const std::string& name : files_in(scratch.path())) {
      EXPECT_FALSE(name.ends_with(".part")) << name << " was left behind";
    }
    expect_folder_matches(scratch.path(), report);
  };
}

TEST_P(ImageDownloaderHidden, NamesThatLeaveTheFolderAreRefused) {
  PARLAB_WITHIN(20s, kHang) {
    const ScratchFolder listing;
    const std::string image = known_seed_server().url() + "/image/9?size=64";
    const std::string url = file_gallery(listing, {{{"name", "../escape.jpg"}, {"url", image}},
                                                   {{"name", "sub/inner.jpg"}, {"url", image}},
                                                   {{"name", ".."}, {"url", image}},
                                                   {{"name", "fine.jpg"}, {"url", image}}});
    const ScratchFolder scratch;
    const GalleryReport report = download(url, scratch / "in", 2);
    ASSERT_EQ(report.images.size(), 4u);
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(report.images[i].error, "not a plain file name") << report.images[i].name;
      EXPECT_EQ(report.images[i].status, 0);
    }
    EXPECT_EQ(report.images[3].error, "");
    EXPECT_FALSE(std::filesystem::exists(scratch / "escape.jpg")) << "a file was written outside the folder";
    EXPECT_EQ(files_in(scratch.path()), std::vector<std::string>{"in"});
    EXPECT_EQ(files_in(scratch / "in"), std::vector<std::string>{"fine.jpg"});
  };
}

TEST_P(ImageDownloaderHidden, AnUnreachableImageIsReported) {
  PARLAB_WITHIN(20s, kHang) {
    const ScratchFolder listing;
    const std::string base = known_seed_server().url();
    const std::string url =
        file_gallery(listing, {{{"name", "here.jpg"}, {"url", base + "/image/4?size=500"}},
                               {{"name", "gone.jpg"}, {"url", known_seed_server().refused_url() + "image/5"}}});
    const GalleryReport report = expect_like_baseline(url, 2);
    ASSERT_EQ(report.images.size(), 2u);
    EXPECT_EQ(report.images[1].status, 0);
    EXPECT_NE(report.images[1].error, "");
  };
}

TEST_P(ImageDownloaderHidden, AnOlderFileIsReplacedByAGoodImageOnly) {
  PARLAB_WITHIN(20s, kHang) {
    const ScratchFolder scratch;
    const std::vector<std::string> names = listed_names(3);
    write_file(scratch / names[0], "old bytes");
    write_file(scratch / names[1], "old bytes");
    const GalleryReport report = download(gallery_url(3, 1000, "&fail=1"), scratch.path(), 3);
    EXPECT_EQ(read_file(scratch / names[0]), expected_bytes(report.images[0].url, 1000));
    EXPECT_EQ(read_file(scratch / names[1]), "old bytes") << "a failed image must leave an older file alone";
  };
}

TEST_P(ImageDownloaderHidden, ABadListingThrowsAndCreatesNoFolder) {
  PARLAB_WITHIN(20s, kHang) {
    const ScratchFolder scratch;
    const std::string base = known_seed_server().url();
    for (const std::string& url : {base + "/status/404", base + "/page/1", base + "/delay/1"}) {
      SCOPED_TRACE(url);
      EXPECT_THROW(download(url, scratch / "never", 2), std::runtime_error);
      EXPECT_FALSE(std::filesystem::exists(scratch / "never"));
    }
  };
}

TEST_P(ImageDownloaderHidden, CallsFromSeveralThreadsAtOnce) {
  PARLAB_WITHIN(60s, kHang) {
    const std::string url = gallery_url(8, 4000, "&image_delay=5&fail=4");
    const ScratchFolder baseline;
    const GalleryReport expected = parlab::download_gallery_sequential(url, baseline.path());
    const ScratchFolder scratch;
    std::vector<GalleryReport> reports(3);
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < reports.size(); ++c) {
        callers.emplace_back([&, c] { reports[c] = download(url, scratch / std::to_string(c), 3); });
      }
    }
    for (std::size_t c = 0; c < reports.size(); ++c) {
      SCOPED_TRACE("caller " + std::to_string(c));
      expect_same_report(reports[c], expected);
      expect_folder_matches(scratch / std::to_string(c), reports[c]);
    }
  };
}

INSTANTIATE_TEST_SUITE_P(Strategies, ImageDownloaderHidden, ::testing::ValuesIn(kStrategies),
                         [](const ::testing::TestParamInfo<Strategy>& info) { return name_of(info.param); });

}  // namespace
