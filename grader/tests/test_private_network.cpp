// Test: the grader's private network holds the loopback and nothing else, entered as root and
// as an ordinary user (through a user namespace). Each case runs in a forked child: the move is
// one way, and it must happen while the process has a single thread.
#include <arpa/inet.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "private_network.hpp"

namespace {

// Exit codes of the child, each naming what went wrong.
enum Outcome { kIsolated = 0, kRefused = 10, kOutsideRoutable = 11, kLoopbackDead = 12, kNotRoot = 13 };

bool outside_is_routable() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in outside{};
  outside.sin_family = AF_INET;
  outside.sin_port = htons(9);
  ::inet_pton(AF_INET, "192.0.2.1", &outside.sin_addr);  // TEST-NET-1: connect only picks a route
  const bool routed = ::connect(fd, reinterpret_cast<const sockaddr*>(&outside), sizeof outside) == 0;
  ::close(fd);
  return routed;
}

// A TCP listener on 127.0.0.1 and a connection to it: what the fixture server and a submission do.
bool loopback_works() {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(listener, 1) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return false;
  }
  const int client = ::socket(AF_INET, SOCK_STREAM, 0);
  const bool connected = ::connect(client, reinterpret_cast<sockaddr*>(&address), length) == 0;
  ::close(client);
  ::close(listener);
  return connected;
}

// Forks; the child becomes `uid` (when not -1), enters the private network and checks it.
int outcome_in_child(int uid, std::string& problem) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    if (uid >= 0) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(static_cast<gid_t>(uid)) != 0 ||
          ::setuid(static_cast<uid_t>(uid)) != 0) {
        ::_exit(kNotRoot);
      }
      // Changing users made this process undumpable, which leaves its /proc files to root; a
      // user who logged in as themselves is dumpable, and may write their own uid_map.
      ::prctl(PR_SET_DUMPABLE, 1);
    }
    const std::string why = parlab::grader::enter_private_network();
    [[maybe_unused]] const ssize_t written = ::write(pipe_fds[1], why.data(), why.size());
    if (!why.empty()) ::_exit(kRefused);
    if (outside_is_routable()) ::_exit(kOutsideRoutable);
    ::_exit(loopback_works() ? kIsolated : kLoopbackDead);
  }
  ::close(pipe_fds[1]);
  char buffer[256];
  for (ssize_t got; (got = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    problem.append(buffer, static_cast<std::size_t>(got));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void expect_isolated_or_refused(int uid) {
  std::string problem;
  const int outcome = outcome_in_child(uid, problem);
  if (outcome == kRefused) GTEST_SKIP() << "this machine refuses the namespace: " << problem;
  if (outcome == kNotRoot) GTEST_SKIP() << "the test needs root to become another user";
  EXPECT_EQ(outcome, kIsolated) << (outcome == kOutsideRoutable ? "the outside is still routable"
                                    : outcome == kLoopbackDead  ? "the loopback does not work"
                                                                : "the child failed");
}

}  // namespace

TEST(PrivateNetwork, HoldsTheLoopbackAloneForTheGraderAsIs) { expect_isolated_or_refused(-1); }

TEST(PrivateNetwork, HoldsTheLoopbackAloneForAnOrdinaryUser) {
  if (::geteuid() != 0) {
    expect_isolated_or_refused(-1);  // already an ordinary user: the case above again
    return;
  }
  expect_isolated_or_refused(65534);  // nobody
}

TEST(PrivateNetwork, TheMachineItselfKeepsItsRoute) {
  // The check above means something only where the machine has a route out (this one does).
  if (!outside_is_routable()) GTEST_SKIP() << "no route out here to begin with";
  std::string problem;
  EXPECT_EQ(outcome_in_child(-1, problem), kIsolated) << problem;
  EXPECT_TRUE(outside_is_routable()) << "the move must stay in the child";
}
