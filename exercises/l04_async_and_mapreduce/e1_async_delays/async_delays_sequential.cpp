// Given, do not modify: the sequential baseline of exercise 4.1, the thing to beat.
#include <string>
#include <utility>
#include <vector>

#include "async_delays.hpp"
#include "delay_fetch.hpp"

namespace parlab {

DelaysReport async_delays_sequential(const std::vector<std::string>& urls) {
  // One session, one blocking transfer after another: curl_easy_perform returns only when the
  // server has answered, so each delay is waited out alone and the list takes their sum.
  const delays::EasyHandle session = delays::make_session();
  std::vector<DelayAnswer> answers;
  answers.reserve(urls.size());
  for (const std::string& url : urls) {
    answers.push_back(delays::fetch_delay(session.get(), url));  // the map, one answer at a time
  }
  return delays::make_report(std::move(answers));  // the reduce
}

}  // namespace parlab
