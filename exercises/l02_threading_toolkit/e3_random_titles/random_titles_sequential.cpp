// Given, do not modify: the sequential baseline of exercise 2.3, the thing to beat.
#include <string>
#include <utility>
#include <vector>

#include "random_titles.hpp"
#include "title_fetch.hpp"

namespace parlab {

TitlesReport random_titles_sequential(const std::vector<std::string>& urls) {
  // One session for the whole list: its connection to the server is reused from one URL (and
  // one redirect) to the next. Each transfer still waits for the one before it to end.
  const titles::EasyHandle session = titles::make_session();
  std::vector<PageTitle> pages;
  pages.reserve(urls.size());
  for (const std::string& url : urls) {
    pages.push_back(titles::fetch_title(session.get(), url));
  }
  return titles::make_report(std::move(pages));
}

}  // namespace parlab
