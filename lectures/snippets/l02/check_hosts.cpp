// Lecture snippet (lecture 2): checking many hosts at once, one thread per host. Six "hosts" are
// routes of the local fixture server, each with its own delay and answer; all six are checked in
// about the time of the slowest, not in the sum of their times.
#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "fixture_env.hpp"
#include "http_get.hpp"

using Clock = std::chrono::steady_clock;

struct Host {
  std::string name;
  std::string path;   // on the fixture server: the host's answer and how long it takes
  long expected = 0;  // the status the route answers with
};

struct Check {
  long status = 0;  // 0: no answer
  double seconds = 0;
};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// One blocking GET: the calling thread waits until the host has answered.
Check check(const std::string& url) {
  std::string body;
  const EasyHandle handle = make_get(url, &body);
  const Clock::time_point t0 = Clock::now();
  Check result;
  if (curl_easy_perform(handle.get()) == CURLE_OK) result.status = response_code(handle.get());
  result.seconds = seconds_since(t0);
  return result;
}

std::string verdict(long status) {
  if (status == 0) return "is not reachable";
  if (status == 200) return "is alive";
  return "answers " + std::to_string(status);
}

int main() {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // once, before any thread uses libcurl
  const std::string server = parlab::fixture_url();
  const std::vector<Host> hosts = {
      {"web", "/page/1?delay=200", 200},
      {"api", "/status/200?delay=300", 200},
      {"search", "/status/503?delay=100", 503},
      {"images", "/status/404?delay=250", 404},
      {"mail", "/delay/400", 200},
      {"backup", "/status/500?delay=150", 500},
  };

  std::vector<Check> checks(hosts.size());
  const Clock::time_point t0 = Clock::now();
  {
    std::vector<std::jthread> threads;  // one per host, each waiting on its own host
    for (std::size_t i = 0; i < hosts.size(); ++i) {
      threads.emplace_back([&server, &hosts, &checks, i] { checks[i] = check(server + hosts[i].path); });
    }
  }  // joined: every slot is written
  const double wall = seconds_since(t0);

  double one_by_one = 0;
  bool ok = true;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    std::printf("%-7s %-17s (%3.0f ms)\n", hosts[i].name.c_str(), verdict(checks[i].status).c_str(),
                checks[i].seconds * 1000);
    one_by_one += checks[i].seconds;
    ok = ok && checks[i].status == hosts[i].expected;
  }
  std::printf("%zu hosts in %.3f s; one after another, the same checks add up to %.3f s\n", hosts.size(), wall,
              one_by_one);
  std::printf("%s\n", ok ? "every host answered as expected" : "a host answered unexpectedly");
  return ok ? 0 : 1;
}
