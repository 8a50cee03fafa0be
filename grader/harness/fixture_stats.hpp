// Harness: reading the fixture server's /stats reply (fixture_server.hpp says what it holds).
//
// A pure function of the reply's text, so tests and the grader's fuzzers (grader/fuzz) can feed
// it anything; fixture_stats() (fixture_env.hpp) is this on what GET /stats answered.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace parlab {

// The /stats reply as JSON: {"page": {"requests": .., "in_flight": .., "peak_in_flight": ..},
// ..., "total": {...}}.
nlohmann::json parse_fixture_stats(std::string_view body);

}  // namespace parlab
