// Grader: a network of the grader's own (see private_network.hpp).
#include "private_network.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>

namespace parlab::grader {
namespace {

std::optional<std::string> answer;  // set once, on the main thread, before other threads exist

bool write_file(const char* path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

// A fresh namespace's loopback is down: bring it up, or 127.0.0.1 is unreachable too.
std::string bring_loopback_up() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fmt::format("no socket for the loopback: {}", std::strerror(errno));
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  std::string problem;
  if (::ioctl(fd, SIOCGIFFLAGS, &request) != 0) {
    problem = fmt::format("cannot read the loopback's flags: {}", std::strerror(errno));
  } else {
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
    if (::ioctl(fd, SIOCSIFFLAGS, &request) != 0) {
      problem = fmt::format("cannot bring the loopback up: {}", std::strerror(errno));
    }
  }
  ::close(fd);
  return problem;
}

// Not root: a user namespace first, where this user is root over its own network namespace,
// mapped to itself so that every file keeps its owner.
std::string enter_as_user() {
  const uid_t uid = ::getuid();
  const gid_t gid = ::getgid();
  if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
    return fmt::format("the kernel refused a user namespace ({})", std::strerror(errno));
  }
  if (!write_file("/proc/self/setgroups", "deny") || !write_file("/proc/self/uid_map", fmt::format("{0} {0} 1", uid)) ||
      !write_file("/proc/self/gid_map", fmt::format("{0} {0} 1", gid))) {
    return "cannot map the user into its namespace";
  }
  return "";
}

std::string enter() {
  if (::geteuid() == 0) {
    if (::unshare(CLONE_NEWNET) != 0) {
      return fmt::format("the kernel refused a network namespace ({})", std::strerror(errno));
    }
  } else if (std::string problem = enter_as_user(); !problem.empty()) {
    return problem;
  }
  return bring_loopback_up();
}

}  // namespace

std::string enter_private_network() {
  if (!answer) answer = enter();
  return *answer;
}

std::string private_network_problem() { return answer.value_or("not attempted by this command"); }

bool private_network_entered() { return answer && answer->empty(); }

}  // namespace parlab::grader
