// Lecture snippet helper (lecture 1): start a copy of this program as a child process, talk to it
// through two pipes, and read how it ended. Plain POSIX (posix_spawn, pipe2, waitpid), so the
// notes can show what a process pool does underneath.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

extern char** environ;

namespace l01 {

[[noreturn]] inline void fail(const char* what, int error = errno) {
  throw std::system_error(error, std::generic_category(), what);
}

struct Child {
  pid_t pid = -1;
  int to_child = -1;    // write end of the child's stdin: close it to say "no more work"
  int from_child = -1;  // read end of the child's stdout: end-of-file once the child is done
};

// Starts this same executable again with `args` (argv[1]...), its stdin and stdout on pipes.
// Every pipe end is O_CLOEXEC, so no other child inherits it; dup2 in the child clears the flag
// on the copies that become its fds 0 and 1, and the child sees nothing else of ours.
inline Child spawn_self(const std::vector<std::string>& args) {
  int in[2];   // parent writes in[1], child reads in[0] as stdin
  int out[2];  // child writes out[1] as stdout, parent reads out[0]
  if (pipe2(in, O_CLOEXEC) != 0) fail("pipe2");
  if (pipe2(out, O_CLOEXEC) != 0) {
    const int error = errno;
    close(in[0]);
    close(in[1]);
    fail("pipe2", error);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);

  std::string self = "/proc/self/exe";
  std::vector<char*> argv{self.data()};
  std::vector<std::string> copies(args);
  for (std::string& arg : copies) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid = -1;
  const int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);  // the child's ends: only the child may hold them, or EOF never comes
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    fail("posix_spawn", rc);
  }
  return {pid, in[1], out[0]};
}

// Writes all of `text`. A child that died before reading makes this throw (EPIPE), provided
// SIGPIPE is ignored; otherwise SIGPIPE would kill the parent.
inline void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write");
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Reads until end-of-file: until every copy of the pipe's write end is closed.
inline std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("read");
    if (n == 0) return text;
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

// Waits for the child to end and reaps it (no zombie is left); returns the raw wait status.
inline int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail("waitpid");
  }
  return status;
}

// "exited with code 0", "was killed by signal 6 (Aborted)".
inline std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "was killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "stopped";
}

}  // namespace l01
