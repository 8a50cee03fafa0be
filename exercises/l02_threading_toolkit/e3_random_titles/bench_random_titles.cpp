// Given, do not modify: the bench adapter of exercise 2.3, random_titles (see bench.hpp). The
// workload, 2.4's too, is in titles_bench.hpp: `size` random-page links whose redirects take
// 25 ms each, so one loop takes about size x 25 ms and `workers` threads about
// ceil(size / workers) x 25 ms.
#include <memory>

#include "bench.hpp"
#include "random_titles.hpp"
#include "titles_bench.hpp"

namespace parlab::bench {

std::unique_ptr<Workload> make_workload(const Params& params) {
  return make_titles_workload(params, random_titles_sequential, random_titles);
}

}  // namespace parlab::bench
