// Grader: `grader watch ID`: the public tests rerun on every save of the exercise's student
// files, the result shown in place; keys for a full grade (g), the next hint (h), a rerun
// (Enter) and quitting (q).
//
// Idle costs nothing: the loop sleeps in poll() on an inotify descriptor and stdin, and wakes
// only for a save or a key.
#pragma once

#include <string>

#include "tree_build.hpp"

namespace parlab::grader {

struct WatchOptions {
  Kit kit;
  std::string id;
  std::string tree = "exercises";
};

int run_watch(const WatchOptions& options);

}  // namespace parlab::grader
