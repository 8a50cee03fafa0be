// Student file: exercise 4.1, async_delays. Make async_delays() wait for up to `max_in_flight`
// answers at once, on the calling thread alone.
#include <string>
#include <utility>
#include <vector>

#include "async_delays.hpp"
#include "delay_fetch.hpp"

namespace parlab {

DelaysReport async_delays(const std::vector<std::string>& urls, unsigned /*max_in_flight*/) {
  // TODO(student): replace this loop of blocking transfers with an event loop on libcurl's multi
  // interface, on this thread alone (start no thread): asyncio.gather in C++.
  // Goal: up to `max_in_flight` transfers open at once (kAllAtOnce, 0: every URL at once), each on
  // an easy handle of its own (delays::make_session()) added to one multi handle; when one ends
  // and URLs remain, its handle takes the next URL. Each answer lands in its URL's slot, so the
  // answers come back in request order however they arrive; then the reduce, as below.
  // Edge cases: an empty list (no handle, no request), a cap larger than the list, a URL listed
  // twice (request it twice), a transfer that fails or answers another status (its
  // msg->data.result goes to delays::finish_transfer, which records it: never throw for it).
  // Hint: split delays::fetch_delay into its halves: delays::start_transfer, then
  // curl_multi_add_handle instead of curl_easy_perform; curl_multi_perform, curl_multi_poll and
  // curl_multi_info_read drive and reap the transfers; then delays::finish_transfer. Tag each
  // handle with CURLOPT_PRIVATE to find its URL's index when it is done. A delays::Transfer must
  // stay at one address while its handle runs. You may add helper functions and types here.
  const delays::EasyHandle session = delays::make_session();
  std::vector<DelayAnswer> answers;
  answers.reserve(urls.size());
  for (const std::string& url : urls) {
    answers.push_back(delays::fetch_delay(session.get(), url));
  }
  // You do not need to change this: the total is a reduce over the answers, in any order.
  return delays::make_report(std::move(answers));
}

}  // namespace parlab
