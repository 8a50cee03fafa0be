// Harness: the main() of every public and hidden test binary.
//
// libcurl must be initialized once, before any thread uses it; doing it here means no test
// (and no student) has to remember.
#include <curl/curl.h>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  ::testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  curl_global_cleanup();
  return failed;
}
