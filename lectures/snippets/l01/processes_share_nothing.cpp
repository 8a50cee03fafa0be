// Lecture snippet (lecture 1): a child process gets a copy of the parent's memory, a thread does
// not. fork() duplicates the process; the child's write lands in its own copy.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

int value = 1;  // a global: one per process

int main() {
  std::fflush(stdout);  // or the child would inherit, and print again, what is still buffered
  const pid_t pid = fork();
  if (pid < 0) return 2;
  if (pid == 0) {  // the child: a copy of the parent at the moment of fork()
    value = 42;    // changes the child's copy only
    _exit(value);  // report what the child saw, through its exit code
  }
  int status = 0;
  waitpid(pid, &status, 0);  // reap the child
  const int child_saw = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const int parent_saw = value;
  std::printf("after the child wrote 42: child saw %d, parent sees %d\n", child_saw, parent_saw);

  std::thread writer([] { value = 7; });  // a thread writes the one and only `value`
  writer.join();                          // join: the write happens-before what follows
  std::printf("after a thread wrote 7:   parent sees %d\n", value);

  return child_saw == 42 && parent_saw == 1 && value == 7 ? 0 : 1;
}
