// Harness: the fixture server's /stats reply (see fixture_stats.hpp).
#include "fixture_stats.hpp"

namespace parlab {

nlohmann::json parse_fixture_stats(std::string_view body) { return nlohmann::json::parse(body); }

}  // namespace parlab
