// Test corpus: right only for the public tests' sizes. The results live in a fixed array sized
// for the longest list the public tests use (12 URLs); a longer list loses its tail. Every
// public test passes; the hidden tests and the differential check, with longer lists, must not.
#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  constexpr std::size_t kLongestListSeen = 12;  // the bug: a size read off the public tests
  std::array<SiteResult, kLongestListSeen> slots;
  const site::EasyHandle session = site::make_session();
  const std::size_t kept = std::min(urls.size(), kLongestListSeen);
  for (std::size_t i = 0; i < kept; ++i) slots[i] = site::fetch(session.get(), urls[i]);
  return {slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(kept)};
}

}  // namespace parlab
