// Given, do not modify: the sequential baseline of exercise 3.2, and mixed_sum().
#include <cstdint>
#include <span>

#include "parallel_sum.hpp"

namespace parlab {

std::uint64_t mixed_sum(std::span<const std::uint32_t> values) noexcept {
  std::uint64_t sum = 0;  // wraps around 2^64, on purpose
  for (const std::uint32_t value : values) sum += mixed_value(value);
  return sum;
}

std::uint64_t parallel_sum_sequential(std::span<const std::uint32_t> values) noexcept {
  // The whole array in one loop on the calling thread: one core busy, the others idle.
  return mixed_sum(values);
}

}  // namespace parlab
