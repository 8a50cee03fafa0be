// Student file: exercise 5.1, granularity. Reference solution: chunks cut by work, handed out by a counter.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

#include "granularity.hpp"

namespace parlab {
namespace {

// The work in one chunk, in rounds: about a third of a millisecond. Claiming a chunk (one atomic
// add, maybe a cache miss) costs well under a microsecond, so the fixed cost per chunk is a
// fraction of a percent of its work; and when the chunks run out, the threads finish within a
// third of a millisecond of each other. A single task heavier than this is a chunk on its own.
constexpr std::uint64_t kChunkCost = 100'000;

// Where each chunk begins, and the end of the list last: consecutive tasks are gathered until
// their costs reach kChunkCost. A tiny task list gives chunks of a few hundred tasks; a heavy one
// gives one task per chunk. Tasks of cost 0 still cost a loop step and a store: count each as
// one round, so that a long list of them is cut too.
std::vector<std::size_t> chunk_starts(std::span<const Task> tasks) {
  std::vector<std::size_t> starts;
  std::uint64_t work = 0;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (work == 0) starts.push_back(i);
    work += std::max<std::uint64_t>(tasks[i].cost, 1);
    if (work >= kChunkCost) work = 0;
  }
  starts.push_back(tasks.size());
  return starts;
}

}  // namespace

std::vector<std::uint64_t> map_tasks(std::span<const Task> tasks, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("map_tasks: workers must be at least 1");

  std::vector<std::uint64_t> results(tasks.size());
  const std::vector<std::size_t> starts = chunk_starts(tasks);  // one pass over the costs: a millisecond for a million
  const std::size_t chunk_count = starts.size() - 1;
  const auto thread_count = std::min<std::size_t>(workers, chunk_count);  // none for an empty list

  // The next chunk nobody has claimed. Relaxed is enough: fetch_add hands every chunk to exactly
  // one thread whatever the interleaving, and nothing is published through the counter; each
  // chunk's results are written by the one thread that claimed it, into slots no other thread
  // touches, and reach this thread through the joins (a thread's end happens-before its join
  // returns).
  std::atomic<std::size_t> next{0};
  const std::span<std::uint64_t> out(results);
  {
    std::vector<std::jthread> pool;
    pool.reserve(thread_count);
    for (std::size_t t = 0; t < thread_count; ++t) {
      pool.emplace_back([tasks, out, &starts, chunk_count, &next] {
        for (std::size_t c = next.fetch_add(1, std::memory_order_relaxed); c < chunk_count;
             c = next.fetch_add(1, std::memory_order_relaxed)) {
          const std::size_t begin = starts[c];
          const std::size_t count = starts[c + 1] - begin;
          run_tasks(tasks.subspan(begin, count), out.subspan(begin, count));  // views, no copies
        }
      });
    }
  }  // every std::jthread joins here, also when emplace_back threw: no thread outlives the call
  return results;
}

}  // namespace parlab
