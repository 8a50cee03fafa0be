// Test support, given: what the public and the hidden tests of exercise 1.3 share.
#pragma once

#include <cstdlib>
#include <string>

namespace parlab::testing {

// Sets an environment variable for one test; worker processes started meanwhile inherit it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) { ::setenv(name, value.c_str(), 1); }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

}  // namespace parlab::testing
