// Grader: the bench driver's result line (see bench_line.hpp).
#include "bench_line.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace parlab::grader {

BenchLine parse_bench_output(std::string_view stdout_text) {
  // The last line that starts with '{': lines end at '\n', and a last line need not.
  std::string_view last;
  for (std::size_t start = 0; start < stdout_text.size();) {
    const std::size_t end = std::min(stdout_text.find('\n', start), stdout_text.size());
    const std::string_view line = stdout_text.substr(start, end - start);
    if (!line.empty() && line.front() == '{') last = line;
    start = end + 1;
  }
  if (last.empty()) throw std::runtime_error("no line starts with '{'");
  try {
    const auto doc = nlohmann::json::parse(last);
    BenchLine line;
    line.seconds = doc.at("seconds").get<double>();
    line.cpu_seconds = doc.at("cpu_seconds").get<double>();
    line.digest = doc.at("digest").get<std::string>();
    line.bytes = doc.value("bytes", std::uint64_t{0});
    line.wait_floor_s = doc.value("wait_floor_s", 0.0);
    return line;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(e.what());
  }
}

}  // namespace parlab::grader
