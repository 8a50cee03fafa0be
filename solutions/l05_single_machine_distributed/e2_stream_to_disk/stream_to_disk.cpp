// Student file: exercise 5.2, stream_to_disk. Reference solution: one thread, libcurl's multi
// interface, a window of at most max_in_flight downloads, each written to its file as it arrives.
#include <curl/curl.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "disk_sink.hpp"
#include "stream_to_disk.hpp"

namespace parlab {
namespace {

struct MultiCleanup {
  void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
};
using MultiHandle = std::unique_ptr<CURLM, MultiCleanup>;

// curl_multi_poll sleeps until a socket has news or libcurl's next timer (a timeout, a retry)
// is due, whichever comes first; this only bounds a sleep when neither happens.
constexpr int kPollTimeoutMs = 1000;

// A failure of the multi interface itself (out of memory, a broken socket set), not of a
// transfer: those end as CURLMsg results and go into their DownloadResult.
void check(CURLMcode code, const char* what) {
  if (code == CURLM_OK) return;
  throw std::runtime_error(std::string("stream_to_disk: ") + what + ": " + curl_multi_strerror(code));
}

// One place in the window: an easy handle, the file its transfer writes into, and that download's
// index. The file is the transfer's only buffer: libcurl hands disk::write_body each piece as it
// arrives and the piece goes to the kernel at once, so a slot holds no body, however large.
struct Slot {
  disk::EasyHandle handle;
  disk::PartFile file;    // at one address for the slot's life: CURLOPT_WRITEDATA points at it
  std::size_t index = 0;  // of the download it runs now
  bool added = false;     // to the multi handle: its transfer is running
};

// The event loop of one call: a multi handle with up to `window` slots. A slot is either idle or
// added to the multi handle, running downloads[slot.index]; when its transfer ends, its result is
// stored and the slot takes the next download. Everything runs on the calling thread, so nothing
// here needs a lock.
class DownloadLoop {
 public:
  DownloadLoop(const std::vector<Download>& downloads, std::size_t window)
      : downloads_(downloads), results_(downloads.size()), multi_(curl_multi_init()), slots_(window) {
    if (!multi_) throw std::runtime_error("curl_multi_init failed");
    idle_.reserve(window);
    for (Slot& slot : slots_) {
      slot.handle = disk::make_session();
      // How a finished handle leads back to its slot. slots_ never grows, so the address holds.
      curl_easy_setopt(slot.handle.get(), CURLOPT_PRIVATE, &slot);
      idle_.push_back(&slot);
    }
  }

  // Leaves no transfer running, also when run() threw: a handle is taken out of the multi handle
  // before either is cleaned up, and then each slot's PartFile removes its unfinished .part file.
  ~DownloadLoop() {
    for (Slot& slot : slots_) {
      if (slot.added) curl_multi_remove_handle(multi_.get(), slot.handle.get());
    }
  }

  DownloadLoop(const DownloadLoop&) = delete;
  DownloadLoop& operator=(const DownloadLoop&) = delete;

  std::vector<DownloadResult> run() {
    for (start_idle_slots(); running_ > 0; start_idle_slots()) {
      int still_running = 0;
      // Never blocks: moves every transfer as far as its socket allows, calling disk::write_body
      // for each piece that arrived, so the writes happen here, on this thread.
      check(curl_multi_perform(multi_.get(), &still_running), "curl_multi_perform");
      const std::size_t finished = reap_finished();
      // Sleep only when there is nothing to do: a slot that just went idle starts its next
      // download at once instead of waiting for another transfer's news.
      if (finished == 0 && still_running > 0) {
        check(curl_multi_poll(multi_.get(), nullptr, 0, kPollTimeoutMs, nullptr), "curl_multi_poll");
      }
    }
    return std::move(results_);
  }

 private:
  // Fills the window: every idle slot takes the next download, while any are left. A download
  // whose .part file cannot be created has its result at once, makes no request, and the slot
  // stays idle for the next one.
  void start_idle_slots() {
    while (!idle_.empty() && next_ < downloads_.size()) {
      Slot& slot = *idle_.back();
      const std::size_t index = next_++;
      if (std::optional<DownloadResult> failed =
              disk::start_download(slot.handle.get(), downloads_[index], slot.file)) {
        results_[index] = *std::move(failed);
        continue;
      }
      slot.index = index;
      check(curl_multi_add_handle(multi_.get(), slot.handle.get()), "curl_multi_add_handle");
      slot.added = true;
      idle_.pop_back();
      ++running_;
    }
  }

  // Stores the result of every transfer that has ended since the last call (its file renamed or
  // removed), and makes its slot idle. Returns how many ended.
  std::size_t reap_finished() {
    std::size_t finished = 0;
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_.get(), &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      // Read the message before removing its handle: the removal invalidates it.
      CURL* handle = msg->easy_handle;
      const CURLcode result = msg->data.result;
      char* tag = nullptr;
      curl_easy_getinfo(handle, CURLINFO_PRIVATE, &tag);
      Slot& slot = *reinterpret_cast<Slot*>(tag);
      check(curl_multi_remove_handle(multi_.get(), handle), "curl_multi_remove_handle");
      slot.added = false;
      idle_.push_back(&slot);
      --running_;
      results_[slot.index] = disk::finish_download(handle, result, slot.file);
      ++finished;
    }
    return finished;
  }

  const std::vector<Download>& downloads_;
  std::vector<DownloadResult> results_;  // results_[i]: of downloads_[i], once it has ended
  MultiHandle multi_;                    // declared before the slots: the handles go first
  std::vector<Slot> slots_;              // sized once, never resized: libcurl points into it
  std::vector<Slot*> idle_;              // the slots not added to multi_, ready for a download
  std::size_t next_ = 0;                 // the first download no slot has taken yet
  std::size_t running_ = 0;              // slots added to multi_
};

}  // namespace

std::vector<DownloadResult> stream_to_disk(const std::vector<Download>& downloads, unsigned max_in_flight) {
  if (max_in_flight == 0) throw std::invalid_argument("stream_to_disk: max_in_flight must be at least 1");
  disk::check_downloads(downloads);
  // A window wider than the list would only make handles that never run.
  DownloadLoop loop(downloads, std::min<std::size_t>(max_in_flight, downloads.size()));
  return loop.run();
}

}  // namespace parlab
