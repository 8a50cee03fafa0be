// Grader: text made safe to place inside XML (the SVG charts of scale and trace).
#pragma once

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

}  // namespace parlab::grader
