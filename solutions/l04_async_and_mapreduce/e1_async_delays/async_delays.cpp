// Student file: exercise 4.1, async_delays. Reference solution: one thread, libcurl's multi
// interface, a window of at most max_in_flight transfers (all of them for kAllAtOnce).
#include <curl/curl.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "async_delays.hpp"
#include "delay_fetch.hpp"

namespace parlab {
namespace {

struct MultiCleanup {
  void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
};
using MultiHandle = std::unique_ptr<CURLM, MultiCleanup>;

// curl_multi_poll sleeps until a socket has news or libcurl's next timer (a timeout) is due,
// whichever comes first; this only bounds a sleep when neither happens.
constexpr int kPollTimeoutMs = 1000;

// A failure of the multi interface itself (out of memory, a broken socket set), not of a
// transfer: those end as CURLMsg results and go into their DelayAnswer.
void check(CURLMcode code, const char* what) {
  if (code == CURLM_OK) return;
  throw std::runtime_error(std::string("async_delays: ") + what + ": " + curl_multi_strerror(code));
}

// One place in the window: an easy handle, the transfer it runs now, and that URL's index.
struct Slot {
  delays::EasyHandle handle;
  delays::Transfer transfer;
  std::size_t index = 0;
  bool added = false;  // to the multi handle: its transfer is running
};

// The event loop of one call: a multi handle with `window` slots. A slot is either idle or added
// to the multi handle, running the transfer of urls[slot.index]; when its transfer ends, its
// answer is stored at that index (so the answers keep the request order whatever order they
// arrive in) and the slot takes the next URL. Everything runs on the calling thread, so nothing
// here needs a lock.
class DelayLoop {
 public:
  DelayLoop(const std::vector<std::string>& urls, std::size_t window)
      : urls_(urls), answers_(urls.size()), multi_(curl_multi_init()), slots_(window) {
    if (!multi_) throw std::runtime_error("curl_multi_init failed");
    idle_.reserve(window);
    for (Slot& slot : slots_) {
      slot.handle = delays::make_session();
      // How a finished handle leads back to its slot. slots_ never grows, so the address holds.
      curl_easy_setopt(slot.handle.get(), CURLOPT_PRIVATE, &slot);
      idle_.push_back(&slot);
    }
  }

  // Leaves no transfer running, also when run() threw: a handle is taken out of the multi handle
  // before either is cleaned up.
  ~DelayLoop() {
    for (Slot& slot : slots_) {
      if (slot.added) curl_multi_remove_handle(multi_.get(), slot.handle.get());
    }
  }

  DelayLoop(const DelayLoop&) = delete;
  DelayLoop& operator=(const DelayLoop&) = delete;

  DelaysReport run() {
    for (start_idle_slots(); running_ > 0; start_idle_slots()) {
      int still_running = 0;
      check(curl_multi_perform(multi_.get(), &still_running), "curl_multi_perform");  // never blocks
      const std::size_t finished = reap_finished();
      // Sleep only when there is nothing to do: a slot that just went idle starts its next URL
      // at once instead of waiting for another transfer's news.
      if (finished == 0 && still_running > 0) {
        check(curl_multi_poll(multi_.get(), nullptr, 0, kPollTimeoutMs, nullptr), "curl_multi_poll");
      }
    }
    return delays::make_report(std::move(answers_));  // the reduce, once every answer is in
  }

 private:
  // Fills the window: every idle slot takes the next URL, while any are left.
  void start_idle_slots() {
    while (!idle_.empty() && next_ < urls_.size()) {
      Slot& slot = *idle_.back();
      slot.index = next_;
      slot.transfer.url = urls_[next_];
      delays::start_transfer(slot.handle.get(), slot.transfer);
      check(curl_multi_add_handle(multi_.get(), slot.handle.get()), "curl_multi_add_handle");
      slot.added = true;
      idle_.pop_back();
      ++next_;
      ++running_;
    }
  }

  // Stores the answer of every transfer that has ended since the last call, and makes its slot
  // idle. Returns how many ended.
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
      // The map: a failed transfer or another status is recorded in its answer, never thrown.
      answers_[slot.index] = delays::finish_transfer(handle, result, slot.transfer);
      ++finished;
    }
    return finished;
  }

  const std::vector<std::string>& urls_;
  std::vector<DelayAnswer> answers_;  // answers_[i]: the answer to urls_[i], once its transfer ended
  MultiHandle multi_;                 // declared before the slots: the handles go first
  std::vector<Slot> slots_;           // sized once, never resized: CURLOPT_PRIVATE points into it
  std::vector<Slot*> idle_;           // the slots not added to multi_, ready for a URL
  std::size_t next_ = 0;              // the first URL no slot has taken yet
  std::size_t running_ = 0;           // slots added to multi_
};

}  // namespace

DelaysReport async_delays(const std::vector<std::string>& urls, unsigned max_in_flight) {
  if (urls.empty()) return delays::make_report({});  // no handle, no request
  // kAllAtOnce opens every transfer at once; a window wider than the list would only make
  // handles that never run.
  const std::size_t window =
      max_in_flight == kAllAtOnce ? urls.size() : std::min<std::size_t>(max_in_flight, urls.size());
  DelayLoop loop(urls, window);
  return loop.run();
}

}  // namespace parlab
