// Given, do not modify: the bench adapter of exercise 4.2, device_ids (see bench.hpp).
//
// Workload: `size` device IDs under the seed, counted by first hex digit: one call, nothing to
// prepare. Each ID costs a few hundred nanoseconds (a UUID, a SHA-1, two hex conversions), so the
// baseline takes about size x (that) and `workers` threads, well balanced, about 1 / workers of it.
// The grader times 10 million IDs.
#include <cstdint>
#include <memory>
#include <string>

#include "bench.hpp"
#include "device_ids.hpp"
#include "digest.hpp"

namespace parlab::bench {
namespace {

class DeviceIdsWorkload final : public Workload {
 public:
  DeviceIdsWorkload(std::uint64_t seed, std::size_t size, unsigned workers)
      : seed_(seed), size_(size), workers_(workers) {}

  void run_sequential() override { counts_ = device_ids_sequential(seed_, size_); }
  void run_student() override { counts_ = device_ids(seed_, size_, workers_); }

  // The size, the 16 counts and the first IDs in order: a dropped, doubled or misplaced ID
  // changes a count or the list.
  std::string digest() const override {
    Sha1 sha;
    sha.update(std::to_string(size_)).update("\n");
    for (const std::uint64_t count : counts_.by_first_hex) sha.update(std::to_string(count)).update(" ");
    sha.update("\n");
    for (const std::string& id : counts_.first_ids) sha.update(id).update("\n");
    return sha.hex();
  }

 private:
  std::uint64_t seed_;
  std::size_t size_;
  unsigned workers_;
  DeviceIdCounts counts_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  return std::make_unique<DeviceIdsWorkload>(params.seed, params.size, params.workers);
}

}  // namespace parlab::bench
