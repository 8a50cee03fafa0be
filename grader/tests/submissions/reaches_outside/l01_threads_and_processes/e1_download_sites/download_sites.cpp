// Test corpus: a submission that tries to reach beyond the loopback. Before it answers, it asks
// the kernel for a route to an address outside this machine (192.0.2.1, reserved for
// documentation: connecting a UDP socket only picks a route, it sends nothing), and refuses to
// answer (throws) if there is one. Otherwise it is a correct, sequential solution, so every
// correctness part must pass: the grader's network must hold the loopback alone.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "download_sites.hpp"
#include "site_fetch.hpp"

namespace parlab {
namespace {

void refuse_if_the_outside_is_reachable() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return;
  sockaddr_in outside{};
  outside.sin_family = AF_INET;
  outside.sin_port = htons(9);
  ::inet_pton(AF_INET, "192.0.2.1", &outside.sin_addr);
  const bool routed = ::connect(fd, reinterpret_cast<const sockaddr*>(&outside), sizeof outside) == 0;
  ::close(fd);
  if (routed) throw std::runtime_error("found a route to 192.0.2.1: the network beyond loopback is reachable");
}

}  // namespace

std::vector<SiteResult> download_sites(const std::vector<std::string>& urls, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("workers must be at least 1");
  refuse_if_the_outside_is_reachable();
  const site::EasyHandle session = site::make_session();
  std::vector<SiteResult> results;
  for (const std::string& url : urls) results.push_back(site::fetch(session.get(), url));
  return results;
}

}  // namespace parlab
