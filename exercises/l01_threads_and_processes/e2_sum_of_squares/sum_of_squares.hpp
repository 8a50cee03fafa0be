// Given, do not modify: the API of exercise 1.2, sum_of_squares, and its concurrency contract.
//
// For every number n in a list, add up one mixed square per integer below n. The work is pure
// arithmetic on the CPU, with no waiting at all, so only more cores make it faster: one thread
// per core, each busy with its own share of the sums.
#pragma once

#include <cstdint>
#include <vector>

namespace parlab {

// The work done for one integer i: the square i * i (mod 2^64), passed through the 64-bit
// finalizer of MurmurHash3 (shift-xor, multiply, shift-xor, multiply, shift-xor).
//
// Why not plain i * i: a compiler that sees `for (i < n) s += i * i` may replace the loop with
// the closed form n(n-1)(2n-1)/6 (clang -O2 does), and the "heavy" computation then takes no
// time at all. The finalizer scrambles every square, so no formula sums the results and each
// one has to be computed. mixed_square(0) == 0.
constexpr std::uint64_t mixed_square(std::uint64_t i) noexcept {
  std::uint64_t x = i * i;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// mixed_square(begin) + mixed_square(begin + 1) + ... + mixed_square(end - 1), mod 2^64; 0 when
// begin >= end. About 1.5 ns per integer on the course machine.
//
// Unsigned addition wraps around 2^64, and addition mod 2^64 is associative and commutative,
// so a range may be cut anywhere and its pieces added in any order:
//   mixed_square_sum(a, c) == mixed_square_sum(a, b) + mixed_square_sum(b, c)   for a <= b <= c.
// Pure function: thread-safe, never throws, blocks nothing.
std::uint64_t mixed_square_sum(std::uint64_t begin, std::uint64_t end) noexcept;

// The baseline: result[k] = mixed_square_sum(0, numbers[k]) for every k, computed one number
// after another on the calling thread. This is the lecture's problem(n), run over the list.
//
// Returns one sum per number, in input order; an empty list gives an empty vector, a 0 in the
// list gives 0. Time grows with the sum of the numbers. Throws only std::bad_alloc.
// Thread-safe: it shares nothing between calls, so several threads may call it at once.
std::vector<std::uint64_t> sum_of_squares_sequential(const std::vector<std::uint64_t>& numbers);

// The same sums, computed by up to `workers` threads at once.
//
// Returns exactly what sum_of_squares_sequential(numbers) returns: one sum per number, in
// input order. Blocks until every sum is complete and every thread it started has been joined;
// no thread outlives the call. Any number of workers is fine: more workers than there is work
// leaves the extra ones idle (or unstarted), an empty list returns an empty vector. The list
// may mix sizes freely (one number a thousand times larger than the others); the caller expects
// the work spread over the workers, not one worker left with the big number.
// Throws std::invalid_argument when `workers` is 0, std::system_error when a thread cannot be
// started, std::bad_alloc when memory runs out. Thread-safe: several threads may call it at
// once; `numbers` is only read, and must not change during the call.
std::vector<std::uint64_t> sum_of_squares(const std::vector<std::uint64_t>& numbers, unsigned workers);

}  // namespace parlab
