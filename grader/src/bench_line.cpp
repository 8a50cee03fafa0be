// Grader: the bench driver's result line (see bench_line.hpp).
#include "bench_line.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace parlab::grader {

namespace {

using nlohmann::json;

// A time in seconds: a number, 0 or more (JSON has no infinity or NaN, and nlohmann refuses a
// number too large for a double). An absent optional field is 0.
double seconds_at(const json& doc, const std::string& key, bool required) {
  if (!doc.contains(key)) {
    if (required) throw std::runtime_error("no \"" + key + "\"");
    return 0;
  }
  const json& value = doc.at(key);
  if (!value.is_number() || value.get<double>() < 0) {
    throw std::runtime_error("\"" + key + "\" is not a number of seconds, 0 or more");
  }
  return value.get<double>();
}

}  // namespace

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
  json doc;
  try {
    doc = json::parse(last);
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("the last line that starts with '{' is not JSON: ") + e.what());
  }
  if (!doc.is_object()) throw std::runtime_error("the last line that starts with '{' is not a JSON object");
  BenchLine line;
  line.seconds = seconds_at(doc, "seconds", true);
  line.cpu_seconds = seconds_at(doc, "cpu_seconds", true);
  line.wait_floor_s = seconds_at(doc, "wait_floor_s", false);
  if (!doc.contains("digest") || !doc.at("digest").is_string()) throw std::runtime_error("no \"digest\" string");
  line.digest = doc.at("digest").get<std::string>();
  if (doc.contains("bytes")) {
    // A whole number, 0 or more: a fraction, a negative number or a huge float is refused, not
    // rounded, wrapped round or (undefined behaviour) converted out of range.
    if (!doc.at("bytes").is_number_unsigned()) throw std::runtime_error("\"bytes\" is not a whole number, 0 or more");
    line.bytes = doc.at("bytes").get<std::uint64_t>();
  }
  return line;
}

}  // namespace parlab::grader
