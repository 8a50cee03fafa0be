// Test support, given: what the public and the hidden tests of exercise 1.1 share.
#pragma once

#include <ostream>

#include "download_sites.hpp"

namespace parlab {

// How GoogleTest prints a result when an expectation fails.
inline void PrintTo(const SiteResult& r, std::ostream* os) {
  *os << "{url " << r.url << ", status " << r.status << ", bytes " << r.bytes << ", digest " << r.digest << ", error \""
      << r.error << "\"}";
}

}  // namespace parlab
