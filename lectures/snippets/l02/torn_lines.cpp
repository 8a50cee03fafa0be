// Lecture snippet (lecture 2): logging from many threads. Four threads write 2,000 lines each to
// std::cout, first piece by piece (lines get torn), then one line at a time under a mutex, then
// through std::osyncstream. Each run's output is captured and every line checked.
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <iostream>
#include <latch>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <syncstream>
#include <thread>
#include <vector>

constexpr int kThreads = 4;
constexpr int kLinesEach = 2000;

// Every << is a call of its own into std::cout: another thread's output may land between any two.
void log_torn(int worker, int step) { std::cout << "worker " << worker << " reached step " << step << '\n'; }

std::mutex cout_mutex;  // guards std::cout: whoever holds it writes a whole line

void log_locked(int worker, int step) {
  std::scoped_lock lock(cout_mutex);
  std::cout << "worker " << worker << " reached step " << step << '\n';
}

// The osyncstream collects the line in a buffer of its own and hands it to std::cout in one piece
// when it is destroyed, at the end of the statement.
void log_synced(int worker, int step) {
  std::osyncstream(std::cout) << "worker " << worker << " reached step " << step << '\n';
}

// Runs the threads with fd 1 sent to a temporary file, and returns what they wrote.
std::string capture_stdout(const std::function<void()>& run) {
  std::fflush(stdout);
  std::FILE* file = std::tmpfile();
  if (file == nullptr) return "";  // nothing captured: the caller's check then fails
  const int saved = dup(STDOUT_FILENO);
  dup2(fileno(file), STDOUT_FILENO);
  run();
  std::fflush(stdout);  // std::cout writes through stdout's buffer (it is synced with stdio)
  dup2(saved, STDOUT_FILENO);
  close(saved);
  std::rewind(file);
  std::string text;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) text += static_cast<char>(c);
  std::fclose(file);
  return text;
}

void run_threads(void (*log)(int, int)) {
  std::latch start(kThreads);  // lines the threads up, so that they really write at the same time
  std::vector<std::jthread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&start, log, w] {
      start.arrive_and_wait();
      for (int step = 0; step < kLinesEach; ++step) log(w, step);
    });
  }
}

// Counts the lines that came out whole, and shows the first few that did not.
bool all_lines_whole(const char* label, void (*log)(int, int)) {
  std::istringstream output(capture_stdout([log] { run_threads(log); }));
  const std::regex whole("worker [0-9]+ reached step [0-9]+");
  int good = 0;
  std::vector<std::string> torn;
  for (std::string line; std::getline(output, line);) {
    if (std::regex_match(line, whole)) {
      ++good;
    } else {
      torn.push_back(line);
    }
  }
  std::printf("%-7s %d whole lines, %zu torn\n", label, good, torn.size());
  for (std::size_t i = 0; i < torn.size() && i < 3; ++i) std::printf("        torn: %s\n", torn[i].c_str());
  return good == kThreads * kLinesEach && torn.empty();
}

int main() {
  all_lines_whole("pieces", log_torn);  // may or may not tear on a given run: shown, not checked
  const bool locked_ok = all_lines_whole("mutex", log_locked);
  const bool synced_ok = all_lines_whole("synced", log_synced);
  const bool ok = locked_ok && synced_ok;
  std::printf("%s\n", ok ? "with a mutex or an osyncstream, every line came out whole" : "torn lines remain");
  return ok ? 0 : 1;
}
