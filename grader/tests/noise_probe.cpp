// A test binary for the schedule-noise test (test_supervisor.cpp's ScheduleNoise test): its one
// test fails exactly when allocations step off the core (voluntary context switches), which
// only the grader's noise pass (PARLAB_SCHEDULE_NOISE) makes them do.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <memory>

TEST(NoiseProbe, AllocationsKeepTheCore) {
  rusage before{}, after{};
  ::getrusage(RUSAGE_THREAD, &before);
  for (int i = 0; i < 20000; ++i) {
    auto value = std::make_unique<int>(i);
    asm volatile("" : : "g"(value.get()) : "memory");  // the pointer escapes: the allocation stays
  }
  ::getrusage(RUSAGE_THREAD, &after);
  EXPECT_LT(after.ru_nvcsw - before.ru_nvcsw, 5) << "allocations gave the core away";
}
