// Harness: the text of another process's /proc file (cmdline, environ, stat), for tests that
// look for what a run left behind.
//
// That process may exit between opening the file and reading it; the read then fails with
// ESRCH, which libstdc++'s stream buffer turns into an exception. A process that is gone has
// nothing to say: that is the empty text, as for a file that could not be opened.
#pragma once

#include <filesystem>
#include <fstream>
#include <ios>
#include <iterator>
#include <string>

namespace parlab::testing {

inline std::string proc_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  try {
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  } catch (const std::ios_base::failure&) {
    return {};
  }
}

}  // namespace parlab::testing
