// Test helper: a tree that keeps growing, each process sleeping, and retries a refused fork
// forever, as a pool that ignores fork's errors would. Nothing but its supervisor ends it; run it
// only under a cap on tasks (test_supervisor.cpp skips where there is none).
#include <unistd.h>

int main() {
  for (;;) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::sleep(30);
      ::_exit(0);
    }
    if (pid < 0) ::usleep(10'000);
  }
}
