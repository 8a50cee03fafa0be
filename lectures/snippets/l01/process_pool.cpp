// Lecture snippet (lecture 1): a pool of worker processes with a per-process initializer, the
// C++ shape of multiprocessing.Pool(initializer=...). Each worker sets up one libcurl handle
// when it starts, then downloads every URL it is sent over that handle. Work goes down each
// worker's stdin as "index url" lines, results come back up its stdout as "index status bytes
// connections" lines, and the parent reaps every worker and checks its exit code.
#include <curl/curl.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "child_process.hpp"
#include "fixture_env.hpp"

constexpr unsigned kWorkers = 4;

std::size_t count_bytes(char*, std::size_t size, std::size_t count, void* total) {
  *static_cast<std::size_t*>(total) += size * count;
  return size * count;
}

CURL* session = nullptr;  // a global, but each process has its own: one handle per worker

// Runs once in each worker, before its first task (what `initializer=` is for).
bool init_worker() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  session = curl_easy_init();
  if (session == nullptr) return false;
  curl_easy_setopt(session, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(session, CURLOPT_WRITEFUNCTION, count_bytes);
  return true;
}

int worker() {
  if (!init_worker()) return 3;  // exit code 3: the worker could not set up
  std::size_t index = 0;
  std::string url;
  while (std::cin >> index >> url) {
    std::size_t bytes = 0;
    long status = 0, connections = 0;
    curl_easy_setopt(session, CURLOPT_URL, url.c_str());
    curl_easy_setopt(session, CURLOPT_WRITEDATA, &bytes);
    if (curl_easy_perform(session) == CURLE_OK) {
      curl_easy_getinfo(session, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(session, CURLINFO_NUM_CONNECTS, &connections);
    }
    std::cout << index << ' ' << status << ' ' << bytes << ' ' << connections << '\n';
  }
  curl_easy_cleanup(session);
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "worker") return worker();
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> urls;
  for (int i = 0; i < 40; ++i) urls.push_back(parlab::fixture_url() + "/page/" + std::to_string(i) + "?delay=25");

  const auto t0 = std::chrono::steady_clock::now();
  std::vector<l01::Child> pool;
  for (unsigned w = 0; w < kWorkers; ++w) pool.push_back(l01::spawn_self({"worker"}));
  for (unsigned w = 0; w < kWorkers; ++w) {  // deal the URLs round-robin: worker w gets w, w+4, ...
    std::string tasks;
    for (std::size_t i = w; i < urls.size(); i += kWorkers) tasks += std::to_string(i) + ' ' + urls[i] + '\n';
    l01::write_all(pool[w].to_child, tasks);  // a few KiB: fits in the pipe, so this cannot block
    close(pool[w].to_child);                  // no more work: the worker's loop ends after these
  }
  std::vector<long> status(urls.size(), -1);
  long connections = 0;
  bool ok = true;
  for (l01::Child& child : pool) {  // every worker is busy meanwhile; collect them in turn
    std::istringstream results(l01::read_all(child.from_child));
    close(child.from_child);
    std::size_t index = 0;
    long code = 0, opened = 0;
    std::size_t bytes = 0;
    while (results >> index >> code >> bytes >> opened) {
      if (index < status.size()) status[index] = code;
      connections += opened;
    }
    const int exit_status = l01::wait_for(child.pid);
    std::printf("worker %d %s\n", child.pid, l01::describe(exit_status).c_str());
    ok = ok && WIFEXITED(exit_status) && WEXITSTATUS(exit_status) == 0;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%u processes: %zu pages in %.3f s over %ld connections\n", kWorkers, urls.size(), seconds, connections);

  for (long code : status) ok = ok && code == 200;
  ok = ok && connections <= static_cast<long>(kWorkers);  // one session per process, reused
  std::printf("%s\n", ok ? "every page arrived; each worker used its one handle" : "something went wrong");
  return ok ? 0 : 1;
}
