// Student file: exercise 1.2, sum_of_squares. Reference solution: equal pieces of work, claimed by a pool.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sum_of_squares.hpp"

namespace parlab {
namespace {

// Work is handed out in pieces of this many integers, about 1 ms on one core: small enough
// that when the last pieces run out the workers finish within a millisecond of each other,
// large enough that claiming a piece (one atomic add) costs nothing next to computing it.
// Cutting by integers, not by numbers, is what balances a list like {10^9, 10, 10, 10}.
constexpr std::uint64_t kPiece = std::uint64_t{1} << 18;

std::uint64_t pieces_of(std::uint64_t n) { return n / kPiece + (n % kPiece != 0 ? 1 : 0); }

}  // namespace

std::vector<std::uint64_t> sum_of_squares(const std::vector<std::uint64_t>& numbers, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("sum_of_squares: workers must be at least 1");

  // All the pieces of all the numbers, numbered 0, 1, 2, ... in list order: number k owns the
  // pieces first_piece[k] .. first_piece[k + 1] - 1 (none for a 0), and first_piece.back() is
  // the total. Written here before any thread starts and only read by the workers.
  std::vector<std::uint64_t> first_piece(numbers.size() + 1, 0);
  for (std::size_t k = 0; k < numbers.size(); ++k) first_piece[k + 1] = first_piece[k] + pieces_of(numbers[k]);
  const std::uint64_t piece_count = first_piece.back();

  // One running total per number. The pieces of one number may be computed by several threads
  // at once, so each adds its partial sum with fetch_add, a single atomic read-modify-write:
  // no addition is lost, and since addition mod 2^64 does not care about order, the total is
  // the same whichever thread adds first. (std::atomic value-initializes to 0 since C++20.)
  std::vector<std::atomic<std::uint64_t>> totals(numbers.size());

  // The next piece nobody has claimed yet. Relaxed is enough for both atomics: fetch_add hands
  // every piece to exactly one worker whatever the interleaving, and nothing is published
  // through the counter or the totals while the workers run; the totals reach this thread
  // through the joins below (a thread's completion happens-before its join returns).
  std::atomic<std::uint64_t> next{0};
  const auto thread_count = static_cast<std::size_t>(std::min<std::uint64_t>(workers, piece_count));
  {
    std::vector<std::jthread> pool;
    pool.reserve(thread_count);
    for (std::size_t t = 0; t < thread_count; ++t) {
      pool.emplace_back([&numbers, &first_piece, &totals, &next, piece_count] {
        for (std::uint64_t p = next.fetch_add(1, std::memory_order_relaxed); p < piece_count;
             p = next.fetch_add(1, std::memory_order_relaxed)) {
          // The number that owns piece p: the last k with first_piece[k] <= p. Numbers with no
          // pieces share their first_piece with the next number, and upper_bound skips them.
          const auto k = static_cast<std::size_t>(std::upper_bound(first_piece.begin(), first_piece.end(), p) -
                                                  first_piece.begin() - 1);
          const std::uint64_t begin = (p - first_piece[k]) * kPiece;
          const std::uint64_t end = numbers[k] - begin > kPiece ? begin + kPiece : numbers[k];
          totals[k].fetch_add(mixed_square_sum(begin, end), std::memory_order_relaxed);
        }
      });
    }
  }  // every std::jthread joins here, also when emplace_back threw: no thread outlives the call

  std::vector<std::uint64_t> sums(numbers.size());
  for (std::size_t k = 0; k < numbers.size(); ++k) sums[k] = totals[k].load(std::memory_order_relaxed);
  return sums;
}

}  // namespace parlab
