// Harness: how tests and bench adapters find the fixture server.
//
// Under the grader, PARLAB_FIXTURE_URL names the server the grader started (one per run, so
// it can read the peak number of requests in flight). Started by hand, a test or bench binary
// has no such variable and starts its own server in-process on first use.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace parlab {

// The base URL, "http://127.0.0.1:<port>", no trailing slash. Thread-safe; the first call may
// start a server, which lives until the process exits.
std::string fixture_url();

// GET <fixture>/stats as JSON: {"page": {"requests": .., "in_flight": .., "peak_in_flight": ..},
// ..., "total": {...}}. Throws std::runtime_error when the server cannot be reached, or when
// its reply is not stats (parse_fixture_stats, fixture_stats.hpp).
nlohmann::json fixture_stats();

// GET <fixture>/stats/reset.
void fixture_reset_stats();

// GET <fixture>/health: full URLs of the health-check endpoints, {"healthy": .., "flaky": ..
// (append a key of your own), "silent": .., "refused": ..}. Throws like fixture_stats().
nlohmann::json fixture_health_endpoints();

}  // namespace parlab
