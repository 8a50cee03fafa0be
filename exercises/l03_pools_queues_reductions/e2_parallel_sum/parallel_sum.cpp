// Student file: exercise 3.2, parallel_sum. Make parallel_sum() use `workers` threads.
#include <cstdint>
#include <span>
#include <stdexcept>

#include "parallel_sum.hpp"

namespace parlab {

std::uint64_t parallel_sum(std::span<const std::uint32_t> values, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("parallel_sum: workers must be at least 1");

  // TODO(student): compute the sum with `workers` threads instead of this one loop.
  // Goal: every core busy summing its own chunks until the last element is counted, and the
  // result equal to parallel_sum_sequential(values), bit for bit.
  // Edge cases: an empty span (start no thread, return 0), a single element, a size that no
  // number of workers divides (a prime), and more workers than elements.
  // Hint: mixed_sum(v) == mixed_sum(v.first(k)) + mixed_sum(v.subspan(k)), and the partial sums
  // may be added in any order (addition mod 2^64). Give each thread chunks as subspans (views,
  // no copies), let it add its chunks into a local variable, and combine the threads' totals
  // once, after the joins or with one atomic addition per thread: a lock or an atomic per
  // element would cost more than the element itself. std::jthread joins itself when it goes out
  // of scope. You may add helper functions to this file.
  return mixed_sum(values);
}

}  // namespace parlab
