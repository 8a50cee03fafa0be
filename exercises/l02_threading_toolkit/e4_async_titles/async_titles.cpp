// Student file: exercise 2.4, async_titles. Make async_titles() run up to `max_in_flight`
// transfers at once, on the calling thread alone.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "async_titles.hpp"
#include "title_fetch.hpp"

namespace parlab {

TitlesReport async_titles(const std::vector<std::string>& urls, unsigned max_in_flight) {
  if (max_in_flight == 0) throw std::invalid_argument("async_titles: max_in_flight must be at least 1");

  // TODO(student): replace this loop of blocking transfers with an event loop on libcurl's multi
  // interface, on this thread alone (start no thread).
  // Goal: up to `max_in_flight` transfers open at once, each on an easy handle of its own
  // (titles::make_session()) added to one multi handle; when one ends, start the next URL on its
  // handle. The results in input order, exactly as async_titles_sequential() returns them.
  // Edge cases: an empty list (no transfer at all), a window larger than the list, a URL listed
  // twice (fetch it twice), a failed transfer or a redirect loop (its msg->data.result goes to
  // titles::finish_transfer, which records it: never throw for it).
  // Hint: split titles::fetch_title into its halves: titles::start_transfer, then
  // curl_multi_add_handle instead of curl_easy_perform; curl_multi_perform, curl_multi_poll and
  // curl_multi_info_read drive and reap the transfers; then titles::finish_transfer. Tag each
  // handle with CURLOPT_PRIVATE to find its URL's index when it is done. A titles::Transfer must
  // stay at one address while its handle runs. You may add helper functions and types here.
  const titles::EasyHandle session = titles::make_session();
  std::vector<PageTitle> pages;
  pages.reserve(urls.size());
  for (const std::string& url : urls) {
    pages.push_back(titles::fetch_title(session.get(), url));
  }
  return titles::make_report(std::move(pages));
}

}  // namespace parlab
