// Test corpus: the public tests as a student rewrote them: nothing is checked any more. The
// grader must ignore this file and use the kit's own.
#include <gtest/gtest.h>

TEST(DownloadSites, AlwaysPasses) { SUCCEED(); }
