// Student file: exercise 1.2, sum_of_squares. Make sum_of_squares() use `workers` threads.
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sum_of_squares.hpp"

namespace parlab {

std::vector<std::uint64_t> sum_of_squares(const std::vector<std::uint64_t>& numbers, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("sum_of_squares: workers must be at least 1");

  // TODO(student): compute the sums with `workers` threads instead of this one loop.
  // Goal: every core busy until the last sum is done, and the sums in input order, exactly as
  // sum_of_squares_sequential() returns them.
  // Edge cases: an empty list (start no thread), more workers than numbers, a 0 in the list
  // (its sum is 0), and very unequal numbers: with one number a thousand times larger than
  // the rest, handing out whole numbers leaves one thread with nearly all the work.
  // Hint: mixed_square_sum(a, c) == mixed_square_sum(a, b) + mixed_square_sum(b, c), and the
  // pieces may be added in any order (addition mod 2^64), so a big number can be cut into
  // ranges that different threads compute. Let the threads claim the next range from a
  // std::atomic counter until none is left, and give each result slot a single writer (or an
  // atomic). std::jthread joins itself when it goes out of scope. You may add helper functions
  // to this file.
  std::vector<std::uint64_t> sums;
  sums.reserve(numbers.size());
  for (const std::uint64_t n : numbers) sums.push_back(mixed_square_sum(0, n));
  return sums;
}

}  // namespace parlab
