// Given, do not modify: the sequential baseline of exercise 3.1, the thing to beat.
#include <filesystem>
#include <string>

#include "image_downloader.hpp"
#include "image_fetch.hpp"

namespace parlab {

GalleryReport download_gallery_sequential(const std::string& gallery_url, const std::filesystem::path& folder) {
  const images::GalleryPlan plan = images::plan_gallery(gallery_url, folder);
  // One session for the whole gallery; each download still waits for the one before it.
  const images::EasyHandle session = images::make_session();
  GalleryReport report;
  report.listed = plan.listed;
  report.images.reserve(plan.jobs.size());
  for (const images::ImageJob& job : plan.jobs) {
    report.images.push_back(images::download_image(session.get(), job, folder));
  }
  return report;
}

}  // namespace parlab
