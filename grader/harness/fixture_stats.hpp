// Harness: reading the fixture server's /stats reply (fixture_server.hpp says what it holds).
//
// A pure function of the reply's text, so tests and the grader's fuzzers (grader/fuzz) can feed
// it anything; fixture_stats() (fixture_env.hpp) is this on what GET /stats answered.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace parlab {

// The /stats reply as JSON: {"page": {"requests": .., "in_flight": .., "peak_in_flight": ..},
// ..., "total": {...}}, checked: a "total" route, and every route's three counters whole
// numbers, 0 or more, so a caller may read any of them without a check of its own. Throws
// std::runtime_error saying what is wrong, and nothing else, whatever the text.
nlohmann::json parse_fixture_stats(std::string_view body);

}  // namespace parlab
