// Given, do not modify: the sequential baseline of exercise 1.2, and mixed_square_sum().
#include <cstdint>
#include <vector>

#include "sum_of_squares.hpp"

namespace parlab {

std::uint64_t mixed_square_sum(std::uint64_t begin, std::uint64_t end) noexcept {
  std::uint64_t sum = 0;  // wraps around 2^64, on purpose
  for (std::uint64_t i = begin; i < end; ++i) sum += mixed_square(i);
  return sum;
}

std::vector<std::uint64_t> sum_of_squares_sequential(const std::vector<std::uint64_t>& numbers) {
  // One number after another, each from 0 up to itself: one core busy, the others idle.
  std::vector<std::uint64_t> sums;
  sums.reserve(numbers.size());
  for (const std::uint64_t n : numbers) sums.push_back(mixed_square_sum(0, n));
  return sums;
}

}  // namespace parlab
