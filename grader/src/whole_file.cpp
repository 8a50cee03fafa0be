// Grader: a file read or written whole (see whole_file.hpp).
#include "whole_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace parlab::grader {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void write_atomically(const std::string& path, const std::string& text) {
  const std::filesystem::path target = path;
  const std::filesystem::path temporary = target.string() + fmt::format(".{}.partial", ::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", temporary.string(), std::strerror(errno)));
  }
  if (std::rename(temporary.c_str(), target.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::filesystem::remove(temporary);
    throw std::runtime_error(fmt::format("cannot write {}: {}", target.string(), why));
  }
}

}  // namespace parlab::grader
