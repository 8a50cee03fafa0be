// Given, do not modify: the sequential baseline of exercise 2.4, the thing to beat (2.3's loop).
#include <string>
#include <utility>
#include <vector>

#include "async_titles.hpp"
#include "title_fetch.hpp"

namespace parlab {

TitlesReport async_titles_sequential(const std::vector<std::string>& urls) {
  // One session, one blocking transfer after another: curl_easy_perform returns only when its
  // transfer has ended, so while it waits for the server, nothing else happens.
  const titles::EasyHandle session = titles::make_session();
  std::vector<PageTitle> pages;
  pages.reserve(urls.size());
  for (const std::string& url : urls) {
    pages.push_back(titles::fetch_title(session.get(), url));
  }
  return titles::make_report(std::move(pages));
}

}  // namespace parlab
