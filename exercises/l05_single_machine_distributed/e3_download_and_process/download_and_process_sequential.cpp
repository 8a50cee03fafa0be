// Given, do not modify: the sequential baseline of exercise 5.3, the thing to beat.
#include <cstddef>
#include <string>
#include <vector>

#include "download_and_process.hpp"
#include "scada_month.hpp"

namespace parlab {

YearReport download_and_process_sequential(const std::vector<std::string>& urls) {
  // The Python lecture's main(): for each month, download(url), then process(url), then the next.
  // One session for the whole year. curl_easy_perform returns only once its month has arrived, so
  // the CPU idles while a month downloads, and the next download waits while a month is processed.
  std::vector<scada::Month> months(urls.size());
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
