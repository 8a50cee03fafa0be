// Harness: the fixture server's /stats reply (see fixture_stats.hpp).
#include "fixture_stats.hpp"

#include <stdexcept>
#include <string>

namespace parlab {

nlohmann::json parse_fixture_stats(std::string_view body) {
  nlohmann::json stats;
  try {
    stats = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("the fixture's /stats reply is not JSON: ") + e.what());
  }
  if (!stats.is_object() || !stats.contains("total")) {
    throw std::runtime_error("the fixture's /stats reply is not an object of routes with \"total\" among them");
  }
  for (const auto& [route, counters] : stats.items()) {
    for (const char* field : {"requests", "in_flight", "peak_in_flight"}) {
      if (!counters.is_object() || !counters.contains(field) || !counters.at(field).is_number_unsigned()) {
        throw std::runtime_error("the fixture's /stats reply gives route \"" + route + "\" no \"" + field +
                                 "\" that is a whole number, 0 or more");
      }
    }
  }
  return stats;
}

}  // namespace parlab
