// Lecture snippet (lecture 1): threads of one process share its memory; each has its own stack.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <set>
#include <thread>
#include <vector>

std::vector<int> shared_results(4);  // one vector in the process's memory, seen by every thread

struct Seen {
  pid_t process = 0;         // getpid(): the process the thread belongs to
  pid_t thread = 0;          // gettid(): the kernel's id for this thread
  std::uintptr_t stack = 0;  // where the thread's local variable lived
};

int main() {
  std::vector<Seen> seen(shared_results.size());
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([t, &seen] {
        int local = t * 10;         // on this thread's own stack
        shared_results[t] = local;  // a global: every thread writes the same vector (its own slot)
        seen[t] = {getpid(), gettid(), reinterpret_cast<std::uintptr_t>(&local)};
      });
    }
  }  // each jthread joins here: after this brace, all four have finished

  std::set<pid_t> threads;
  std::set<std::uintptr_t> stacks;
  bool ok = true;
  for (int t = 0; t < 4; ++t) {
    std::printf("thread %d: pid %d, tid %d, local at %#zx, wrote %d\n", t, seen[t].process, seen[t].thread,
                static_cast<std::size_t>(seen[t].stack), shared_results[t]);
    ok = ok && seen[t].process == getpid() && shared_results[t] == t * 10;
    threads.insert(seen[t].thread);
    stacks.insert(seen[t].stack);
  }
  ok = ok && threads.size() == 4 && stacks.size() == 4;
  std::printf("%s\n",
              ok ? "one process, four threads, four stacks, one shared vector" : "unexpected: see the lines above");
  return ok ? 0 : 1;
}
