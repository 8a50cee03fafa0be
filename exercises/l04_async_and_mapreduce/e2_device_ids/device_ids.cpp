// Student file: exercise 4.2, device_ids. Make device_ids() use `workers` threads.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "device_ids.hpp"

namespace parlab {

DeviceIdCounts device_ids(std::uint64_t seed, std::size_t m, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("device_ids: workers must be at least 1");

  // TODO(student): make the IDs with `workers` threads instead of this one loop.
  // Goal: every core busy hashing its own indices until the last ID is counted, and the result
  // equal to device_ids_sequential(seed, m): the same 16 counts and the same first IDs, in order.
  // Edge cases: m = 0 (start no thread, return empty counts), m = 1, an m that no number of
  // workers divides, and more workers than IDs.
  // Hint: the ID of index i depends on (seed, i) only, so any split of [0, m) gives the same IDs.
  // Give each thread its own DeviceIdMaker (one is not thread-safe, and creating one per ID would
  // take OpenSSL's lock every time) and its own DeviceIdCounts, count its ranges with
  // count_device_ids, and add the threads' counts together after the joins with merge_counts
  // (in index order, so that first_ids stays in order). std::jthread joins itself when it goes out
  // of scope. You may add helper functions to this file.
  DeviceIdCounts counts;
  DeviceIdMaker maker;
  count_device_ids(maker, seed, 0, m, counts);
  return counts;
}

}  // namespace parlab
