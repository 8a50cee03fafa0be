// Lecture snippet (lecture 3): a Monte Carlo estimate whose answer does not depend on the number
// of workers. Draw uniform numbers until their sum passes 1: on average that takes e = 2.71828...
// draws. The 4 Mi samples are cut into 64 fixed blocks, and block b draws from a generator seeded
// with (seed, b) alone, so any number of threads produce the same draws and the same estimate.
// A generator per worker instead gives an answer that changes with the number of workers.
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <numbers>
#include <random>
#include <thread>
#include <vector>

#include "stopwatch.hpp"

constexpr std::uint32_t kSeed = 2023;
constexpr std::size_t kBlocks = 64;
constexpr std::uint64_t kSamplesPerBlock = 1 << 16;
constexpr std::uint64_t kSamples = kBlocks * kSamplesPerBlock;

// One sample: how many uniform numbers in [0, 1) it takes for their sum to pass 1.
std::uint64_t draws_past_one(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::uint64_t draws = 0;
  for (double sum = 0; sum <= 1.0; ++draws) sum += uniform(rng);
  return draws;
}

// Block b's stream is a function of the seed and b only, not of the thread that happens to run it.
std::uint64_t run_block(std::uint32_t seed, std::size_t block) {
  std::seed_seq seeds{seed, static_cast<std::uint32_t>(block)};
  std::mt19937_64 rng(seeds);
  std::uint64_t draws = 0;
  for (std::uint64_t s = 0; s < kSamplesPerBlock; ++s) draws += draws_past_one(rng);
  return draws;
}

std::uint64_t stream_per_block(unsigned workers) {
  std::vector<std::uint64_t> draws(kBlocks);  // slot b: block b's count, whoever ran it
  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> pool;
    for (unsigned w = 0; w < workers; ++w) {
      pool.emplace_back([&] {
        for (std::size_t b = next++; b < kBlocks; b = next++) draws[b] = run_block(kSeed, b);
      });
    }
  }
  std::uint64_t total = 0;
  for (std::uint64_t d : draws) total += d;
  return total;
}

// The tempting alternative: worker w seeds one generator with (seed, w) and runs its share of the
// samples. As correct a Monte Carlo run as the other, but a different one for every worker count.
std::uint64_t stream_per_worker(unsigned workers) {
  std::vector<std::uint64_t> draws(workers);
  {
    std::vector<std::jthread> pool;
    for (unsigned w = 0; w < workers; ++w) {
      pool.emplace_back([&draws, workers, w] {
        std::seed_seq seeds{kSeed, w};
        std::mt19937_64 rng(seeds);
        const std::uint64_t share = kSamples * (w + 1) / workers - kSamples * w / workers;
        for (std::uint64_t s = 0; s < share; ++s) draws[w] += draws_past_one(rng);
      });
    }
  }
  std::uint64_t total = 0;
  for (std::uint64_t d : draws) total += d;
  return total;
}

int main() {
  std::printf("%llu samples in %zu blocks, %u cores online\n", static_cast<unsigned long long>(kSamples), kBlocks,
              std::thread::hardware_concurrency());
  std::vector<std::uint64_t> per_block, per_worker;
  for (unsigned workers : {1u, 2u, 4u}) {
    const auto block_run = l03::timed([&] { return stream_per_block(workers); });
    const auto worker_run = l03::timed([&] { return stream_per_worker(workers); });
    const double block_e = static_cast<double>(block_run.result) / kSamples;
    const double worker_e = static_cast<double>(worker_run.result) / kSamples;
    std::printf("%u workers: stream per block e ~ %.6f (%.3f s, cores busy %.2f); stream per worker e ~ %.6f\n",
                workers, block_e, block_run.wall, block_run.cores_busy, worker_e);
    per_block.push_back(block_run.result);
    per_worker.push_back(worker_run.result);
  }
  bool same = true;
  for (std::uint64_t draws : per_block) same = same && draws == per_block.front();
  const double error = static_cast<double>(per_block.front()) / kSamples - std::numbers::e;
  std::printf("stream per block: %s; off e by %.6f\n", same ? "the same draws for any number of workers" : "DIFFERS",
              error);
  return same && std::abs(error) < 0.01 ? 0 : 1;
}
