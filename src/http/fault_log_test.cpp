#include "http/fault_log.h"

#include <gtest/gtest.h>

namespace beian::http {
namespace {

using std::chrono::milliseconds;

TEST(FaultLogTest, OneLinePerFaultWithRequestIdAndCause) {
  FaultLog log;
  bool error = true;
  const auto t0 = FaultLog::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_EQ(log.Line("r1", "unreachable: postgres: cannot connect", t0, &error),
            "request r1 fault unreachable: postgres: cannot connect");
  EXPECT_FALSE(error);
  EXPECT_EQ(log.Line("r2", "corrupt: sqlite: database disk image is malformed", t0, &error),
            "request r2 fault corrupt: sqlite: database disk image is malformed");
  EXPECT_TRUE(error);
}

TEST(FaultLogTest, BurstThenOnePerSecondPerClassAndCountsWhatWasLeftOut) {
  FaultLog log;
  bool error = false;
  const auto t0 = FaultLog::Clock::time_point{} + std::chrono::hours(1);
  int logged = 0;
  for (int i = 0; i < 100; ++i) logged += log.Line("r", "disk-full: x", t0, &error).empty() ? 0 : 1;
  EXPECT_EQ(logged, static_cast<int>(FaultLog::kBurst));
  // Another class has its own budget.
  EXPECT_FALSE(log.Line("r", "read-only: y", t0, &error).empty());
  EXPECT_EQ(log.Line("r", "disk-full: x", t0 + milliseconds(500), &error), "");
  EXPECT_EQ(log.Line("q", "disk-full: x", t0 + milliseconds(1100), &error),
            "request q fault disk-full: x (96 more disk-full faults not logged)");
  EXPECT_EQ(log.Line("q", "disk-full: x", t0 + milliseconds(1200), &error), "");
}

}  // namespace
}  // namespace beian::http
