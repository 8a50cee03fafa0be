// Student file: exercise 5.3, download_and_process. Reference solution: a pipeline. The I/O stage is
// one event loop on the calling thread (libcurl's multi interface) with up to max_in_flight
// downloads open; each month that arrives goes on a queue, and a pool of processing threads, one
// per usable core, takes months off it and parses them while the other months still download.
#include <curl/curl.h>

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "download_and_process.hpp"
#include "scada_month.hpp"

namespace parlab {
namespace {

// ---- The queue between the stages ----

// Indices of downloaded months, from the I/O stage (one pusher) to the processors (many poppers).
// An index is all that crosses: the month itself stays in its slot, and the mutex makes the
// downloader's writes to it (body, status) happen before the processor that pops its index reads
// them. Unbounded, on purpose: at most one entry per month, and the bodies are already in memory.
class MonthQueue {
 public:
  void push(std::size_t index) {
    {
      std::scoped_lock lock(mutex_);
      ready_.push_back(index);
    }
    changed_.notify_one();  // one index: one processor needs waking
  }

  // No more pushes: every processor waiting now or later returns empty once the queue is drained.
  // Idempotent.
  void close() {
    {
      std::scoped_lock lock(mutex_);
      closed_ = true;
    }
    changed_.notify_all();  // every waiting processor must see the end
  }

  // Blocks while the queue is empty and open; the oldest index, or nothing once closed and drained.
  std::optional<std::size_t> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty() || closed_; });
    if (ready_.empty()) return std::nullopt;
    const std::size_t index = ready_.front();
    ready_.pop_front();
    return index;
  }

 private:
  std::mutex mutex_;                 // guards ready_ and closed_
  std::condition_variable changed_;  // push() and close() notify; pop() waits
  std::deque<std::size_t> ready_;    // downloaded months not yet taken
  bool closed_ = false;
};

// Closes the queue when it goes out of scope, on every path out of the I/O stage, an exception
// included: the processors then finish the months already queued and end, so their joins return.
class CloseOnExit {
 public:
  explicit CloseOnExit(MonthQueue& queue) : queue_(queue) {}
  ~CloseOnExit() { queue_.close(); }
  CloseOnExit(const CloseOnExit&) = delete;
  CloseOnExit& operator=(const CloseOnExit&) = delete;

 private:
  MonthQueue& queue_;
};

// ---- The I/O stage: one event loop ----

struct MultiCleanup {
  void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
};
using MultiHandle = std::unique_ptr<CURLM, MultiCleanup>;

// curl_multi_poll sleeps until a socket has news or libcurl's next timer is due, whichever comes
// first; this only bounds a sleep when neither happens.
constexpr int kPollTimeoutMs = 1000;

// A failure of the multi interface itself (out of memory, a broken socket set), not of a transfer:
// those end as CURLMsg results and go into their month's result.
void check(CURLMcode code, const char* what) {
  if (code == CURLM_OK) return;
  throw std::runtime_error(std::string("download_and_process: ") + what + ": " + curl_multi_strerror(code));
}

// A window of up to `window` transfers on one multi handle. Each slot is an easy handle, idle or
// running months_[slot.index]; when a transfer ends, its month is finished, queued for processing,
// and the slot takes the next month. Runs on the calling thread alone: nothing here needs a lock
// (the queue locks for itself).
class DownloadLoop {
 public:
  DownloadLoop(std::vector<scada::Month>& months, std::size_t window, MonthQueue& downloaded)
      : months_(months), downloaded_(downloaded), multi_(curl_multi_init()), slots_(window) {
    if (!multi_) throw std::runtime_error("curl_multi_init failed");
    idle_.reserve(window);
    for (Slot& slot : slots_) {
      slot.handle = scada::make_session();
      // How a finished handle leads back to its slot. slots_ never grows, so the address holds.
      curl_easy_setopt(slot.handle.get(), CURLOPT_PRIVATE, &slot);
      idle_.push_back(&slot);
    }
  }

  // Leaves no transfer running, also when run() threw: each handle is taken out of the multi handle
  // before either is cleaned up.
  ~DownloadLoop() {
    for (Slot& slot : slots_) {
      if (slot.added) curl_multi_remove_handle(multi_.get(), slot.handle.get());
    }
  }

  DownloadLoop(const DownloadLoop&) = delete;
  DownloadLoop& operator=(const DownloadLoop&) = delete;

  void run() {
    for (start_idle_slots(); running_ > 0; start_idle_slots()) {
      int still_running = 0;
      // Never blocks: moves every transfer as far as its socket allows, appending what arrived to
      // its month's body (scada's write callback), here, on this thread.
      check(curl_multi_perform(multi_.get(), &still_running), "curl_multi_perform");
      // Sleep only when nothing ended: a slot that just went idle starts its next month at once.
      if (reap_finished() == 0 && still_running > 0) {
        check(curl_multi_poll(multi_.get(), nullptr, 0, kPollTimeoutMs, nullptr), "curl_multi_poll");
      }
    }
  }

 private:
  struct Slot {
    scada::EasyHandle handle;
    std::size_t index = 0;  // the month it runs now
    bool added = false;     // to the multi handle: its transfer is running
  };

  void start_idle_slots() {
    while (!idle_.empty() && next_ < months_.size()) {
      Slot& slot = *idle_.back();
      slot.index = next_++;
      scada::start_download(slot.handle.get(), months_[slot.index]);
      check(curl_multi_add_handle(multi_.get(), slot.handle.get()), "curl_multi_add_handle");
      slot.added = true;
      idle_.pop_back();
      ++running_;
    }
  }

  // Finishes every transfer that has ended since the last call and hands its month to the
  // processors; its slot goes idle. Returns how many ended.
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
      scada::finish_download(handle, result, months_[slot.index]);
      // The last write to the month on this thread: from here on it belongs to a processor. A failed
      // month goes too: process() leaves its error alone and frees its memory.
      downloaded_.push(slot.index);
      ++finished;
    }
    return finished;
  }

  std::vector<scada::Month>& months_;
  MonthQueue& downloaded_;
  MultiHandle multi_;        // declared before the slots: the easy handles are cleaned up first
  std::vector<Slot> slots_;  // sized once, never resized: libcurl points into it
  std::vector<Slot*> idle_;  // the slots not added to multi_
  std::size_t next_ = 0;     // the first month no slot has taken yet
  std::size_t running_ = 0;  // slots added to multi_
};

}  // namespace

YearReport download_and_process(const std::vector<std::string>& urls, unsigned max_in_flight) {
  if (max_in_flight == 0) throw std::invalid_argument("download_and_process: max_in_flight must be at least 1");
  std::vector<scada::Month> months(urls.size());  // sized once: every stage works in its month's slot
  for (std::size_t i = 0; i < urls.size(); ++i) months[i].result.url = urls[i];
  if (months.empty()) return scada::summarize(months);

  MonthQueue downloaded;
  std::exception_ptr processing_error;  // the first exception of a processor; guarded by error_mutex
  std::mutex error_mutex;
  {
    // Declared in this order so that they are destroyed in the reverse one: the queue is closed
    // first (whatever happened), then every processor is joined.
    std::vector<std::jthread> processors;
    const CloseOnExit closer(downloaded);

    // Processing is CPU work: one thread per usable core is all that can run at once, and no more
    // than there are months.
    const std::size_t count = std::min<std::size_t>(scada::usable_cores(), months.size());
    processors.reserve(count);
    for (std::size_t t = 0; t < count; ++t) {
      processors.emplace_back([&] {
        while (const std::optional<std::size_t> index = downloaded.pop()) {
          try {
            scada::process(months[*index]);  // only this thread touches this month now
          } catch (...) {                    // std::bad_alloc: an exception must not leave a thread
            std::scoped_lock lock(error_mutex);
            if (!processing_error) processing_error = std::current_exception();
          }
        }
      });
    }

    // The I/O stage, on this thread, while the processors wait for its months.
    DownloadLoop loop(months, std::min<std::size_t>(max_in_flight, months.size()), downloaded);
    loop.run();
  }  // the queue closed, the processors drained it and were joined: every month is processed

  if (processing_error) std::rethrow_exception(processing_error);
  return scada::summarize(months);
}

}  // namespace parlab
