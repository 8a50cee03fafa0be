// Given, do not modify: the sequential baseline of exercise 5.2, the thing to beat.
#include <optional>
#include <vector>

#include "disk_sink.hpp"
#include "stream_to_disk.hpp"

namespace parlab {

std::vector<DownloadResult> stream_to_disk_sequential(const std::vector<Download>& downloads) {
  disk::check_downloads(downloads);
  // One session, one download after another. Each body is streamed: libcurl hands disk::write_body
  // a piece at a time and the piece goes straight into the open .part file, so memory stays small
  // however large the file. But curl_easy_perform returns only when its transfer has ended, so the
  // files arrive one after another, each at its connection's pace.
  const disk::EasyHandle session = disk::make_session();
  std::vector<DownloadResult> results;
  results.reserve(downloads.size());
  for (const Download& download : downloads) {
    disk::PartFile file;
    if (std::optional<DownloadResult> failed = disk::start_download(session.get(), download, file)) {
      results.push_back(*failed);  // the .part file could not be created: no request
      continue;
    }
    const CURLcode code = curl_easy_perform(session.get());
    results.push_back(disk::finish_download(session.get(), code, file));
  }
  return results;
}

}  // namespace parlab
