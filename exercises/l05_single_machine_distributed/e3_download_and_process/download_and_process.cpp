// Student file: exercise 5.3, download_and_process. Overlap the downloads with each other and with
// the processing: a pipeline, joined by a queue.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "download_and_process.hpp"
#include "scada_month.hpp"

namespace parlab {

YearReport download_and_process(const std::vector<std::string>& urls, unsigned max_in_flight) {
  if (max_in_flight == 0) throw std::invalid_argument("download_and_process: max_in_flight must be at least 1");

  // TODO(student): turn this loop into a pipeline of two stages joined by a queue.
  // Goal: up to `max_in_flight` downloads at once (the I/O stage), and every month processed
  // (scada::process, the CPU stage) as soon as its download has finished, on threads of its own,
  // while the other months still download. Each month keeps its slot in `months`, so the results
  // come back in input order however the downloads finish; scada::summarize does the rest.
  // Edge cases: an empty list (no request, no thread), a cap larger than the list, a month that
  // fails (finish_download and process record it: never throw for it, and process it anyway: it
  // only frees the body), an exception in a thread (catch it there, rethrow it here after the joins).
  // Hint: the I/O stage is either one event loop on this thread (libcurl's multi interface, as in
  // exercise 5.2: scada::start_download, curl_multi_add_handle, ..., scada::finish_download) or a
  // few threads with an easy handle each. Either way it pushes the index of each downloaded month
  // on a queue of your own (a std::deque, a std::mutex, a std::condition_variable, and a close()
  // that wakes every waiting thread, as in exercises 2.1 and 3.1). scada::usable_cores() processing
  // threads pop indices and call scada::process until the queue is closed and drained. Close the
  // queue on every path out of the I/O stage, or the processors wait for ever. You may add helper
  // functions and types here.
  std::vector<scada::Month> months(urls.size());  // sized once: a download writes into its month
  if (months.empty()) return scada::summarize(months);
  const scada::EasyHandle session = scada::make_session();
  for (std::size_t i = 0; i < urls.size(); ++i) {
    scada::Month& month = months[i];
    month.result.url = urls[i];
    scada::start_download(session.get(), month);
    scada::finish_download(session.get(), curl_easy_perform(session.get()), month);
    scada::process(month);
  }
  return scada::summarize(months);
}

}  // namespace parlab
