// Test support, given: what the public and the hidden tests of exercise 1.4 share.
#pragma once

#include <cstdio>
#include <ostream>
#include <string>

#include "cross_validation.hpp"

namespace parlab {

// How GoogleTest prints a result when an expectation fails: every double to the last bit.
inline void PrintTo(const CrossValidationResult& r, std::ostream* os) {
  auto exact = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", v);
    return std::string(text);
  };
  *os << "{mse";
  for (const double v : r.mse) *os << ' ' << exact(v);
  *os << ", best " << r.best << " (" << exact(r.best_strength) << "), coefficients";
  for (const double v : r.coefficients) *os << ' ' << exact(v);
  *os << '}';
}

}  // namespace parlab
