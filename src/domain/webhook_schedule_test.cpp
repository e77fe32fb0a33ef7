#include "domain/webhook_schedule.h"

#include <gtest/gtest.h>

namespace beian {
namespace {

using namespace std::chrono_literals;
using std::chrono::seconds;

TEST(WebhookScheduleTest, DefaultHasTenAttemptsStartingNow) {
  const RetrySchedule s = DefaultRetrySchedule();
  ASSERT_EQ(s.size(), 10u);
  EXPECT_EQ(s.front(), 0s);
  EXPECT_EQ(s[1], 5s);
  EXPECT_EQ(s[2], 5min);
  EXPECT_EQ(s.back(), 24h);
}

TEST(WebhookScheduleTest, ParsesUnits) {
  Result<RetrySchedule> s = ParseRetrySchedule("0s, 5s,5m ,2h,1d");
  ASSERT_TRUE(s.ok()) << s.error().detail.en;
  EXPECT_EQ(*s, (RetrySchedule{0s, 5s, 5min, 2h, 24h}));
  Result<RetrySchedule> one = ParseRetrySchedule("7d");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, RetrySchedule{seconds{7 * 86400}});
}

TEST(WebhookScheduleTest, RefusesMalformedSchedules) {
  for (const char* bad : {"", ",", "1s,", "5", "s", "5x", "-1s", "1.5s", "8d", "169h",
                          "99999999999999999999s", "1s,,2s", "five s"}) {
    Result<RetrySchedule> s = ParseRetrySchedule(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidRequest) << bad;
    EXPECT_FALSE(s.error().detail.zh.empty());
    EXPECT_FALSE(s.error().detail.en.empty());
  }
}

TEST(WebhookScheduleTest, AtMostFiftyEntries) {
  std::string text = "1s";
  for (int i = 1; i < 50; ++i) text += ",1s";
  EXPECT_TRUE(ParseRetrySchedule(text).ok());
  EXPECT_FALSE(ParseRetrySchedule(text + ",1s").ok());
}

TEST(WebhookScheduleTest, DelayWithJitterWithinATenth) {
  const RetrySchedule s{0s, 100s, 1000s};
  EXPECT_EQ(RetryDelay(s, 1, 0.99, std::nullopt), 0s);
  EXPECT_EQ(RetryDelay(s, 2, 0.0, std::nullopt), 100s);
  EXPECT_EQ(RetryDelay(s, 2, 0.5, std::nullopt), 105s);
  EXPECT_EQ(RetryDelay(s, 3, 0.999, std::nullopt), 1099s);
  EXPECT_EQ(RetryDelay(s, 3, 1.0, std::nullopt), 1100s);  // out of range: clamped to d + d/10
  EXPECT_EQ(RetryDelay(s, 3, -3.0, std::nullopt), 1000s);
}

TEST(WebhookScheduleTest, NoDelayAfterTheLastAttempt) {
  const RetrySchedule s{0s, 5s};
  EXPECT_EQ(RetryDelay(s, 0, 0.0, std::nullopt), std::nullopt);
  EXPECT_EQ(RetryDelay(s, 3, 0.0, std::nullopt), std::nullopt);
  EXPECT_EQ(RetryDelay(s, 3, 0.0, 10s), std::nullopt);
}

TEST(WebhookScheduleTest, LongerRetryAfterWinsCappedAtADay) {
  const RetrySchedule s{0s, 100s, seconds{3 * 86400}};
  EXPECT_EQ(RetryDelay(s, 2, 0.0, 50s), 100s);   // shorter: the schedule stands
  EXPECT_EQ(RetryDelay(s, 2, 0.0, 500s), 500s);  // longer: replaces it
  EXPECT_EQ(RetryDelay(s, 2, 0.0, seconds{5 * 86400}), 24h);
  EXPECT_EQ(RetryDelay(s, 3, 0.0, seconds{5 * 86400}), seconds{3 * 86400});
}

}  // namespace
}  // namespace beian
