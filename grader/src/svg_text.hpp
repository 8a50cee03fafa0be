// Grader: what the SVG charts of scale and trace share: text made safe for XML, round ticks.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

namespace parlab::grader {

// The few characters that would break XML escaped; control characters, which XML 1.0 forbids,
// replaced by '?' (a thread's name from /proc may hold anything).
inline std::string xml_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += (c >= 0 && c < 0x20) || c == 0x7f ? '?' : c;
    }
  }
  return out;
}

// A round step for axis ticks (1, 2 or 5 times a power of ten), about `count` of them over [0, top].
inline double tick_step(double top, int count) {
  const double raw = top / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10 * magnitude;
}

}  // namespace parlab::grader
