#include "domain/time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <vector>

namespace beian {
namespace {

Time ParsedAt(std::string_view s) {
  const auto t = ParseRfc3339(s);
  EXPECT_TRUE(t.has_value()) << s;
  return t.value_or(Time{});
}

TEST(AddMonthsCst, KeepsDayAndTimeOfDay) {
  EXPECT_EQ(FormatRfc3339Cst(AddMonthsCst(ParsedAt("2026-11-27T10:00:00+08:00"), 3)),
            "2027-02-27T10:00:00+08:00");
}

TEST(AddMonthsCst, MonthEndClampsToLastDay) {
  EXPECT_EQ(FormatRfc3339Cst(AddMonthsCst(ParsedAt("2026-11-30T09:30:00+08:00"), 3)),
            "2027-02-28T09:30:00+08:00");
  EXPECT_EQ(FormatDateCst(AddMonthsCst(ParsedAt("2027-01-31T00:00:00+08:00"), 1)), "2027-02-28");
  EXPECT_EQ(FormatDateCst(AddMonthsCst(ParsedAt("2026-08-31T12:00:00+08:00"), 1)), "2026-09-30");
}

TEST(AddMonthsCst, LeapYears) {
  EXPECT_EQ(FormatDateCst(AddMonthsCst(ParsedAt("2027-11-30T08:00:00+08:00"), 3)), "2028-02-29");
  EXPECT_EQ(FormatDateCst(AddMonthsCst(ParsedAt("2028-02-29T08:00:00+08:00"), 12)), "2029-02-28");
  EXPECT_EQ(FormatDateCst(AddMonthsCst(ParsedAt("2028-02-29T08:00:00+08:00"), 48)), "2032-02-29");
  EXPECT_EQ(FormatDateCst(AddMonthsCst(ParsedAt("2099-11-30T08:00:00+08:00"), 3)), "2100-02-28");
  EXPECT_EQ(FormatDateCst(AddMonthsCst(ParsedAt("2399-11-30T08:00:00+08:00"), 3)), "2400-02-29");
}

TEST(AddMonthsCst, UsesTheCstDateNotTheUtcDate) {
  // 2026-11-30T20:00Z is 2026-12-01T04:00 in CST: +3 months is 2027-03-01 CST, not 2027-02-28.
  const Time t = ParsedAt("2026-11-30T20:00:00Z");
  EXPECT_EQ(FormatDateCst(t), "2026-12-01");
  EXPECT_EQ(FormatRfc3339Cst(AddMonthsCst(t, 3)), "2027-03-01T04:00:00+08:00");
  EXPECT_EQ(FormatRfc3339Utc(AddMonthsCst(t, 3)), "2027-02-28T20:00:00Z");
  // 2027-02-28T16:30Z is 2027-03-01T00:30 CST; -1 month is 2027-02-01 CST.
  EXPECT_EQ(FormatRfc3339Cst(AddMonthsCst(ParsedAt("2027-02-28T16:30:00Z"), -1)),
            "2027-02-01T00:30:00+08:00");
}

TEST(AddMonthsCst, ZeroAndNegativeAndYearWrap) {
  const Time t = ParsedAt("2026-03-31T23:59:59+08:00");
  EXPECT_EQ(AddMonthsCst(t, 0), t);
  EXPECT_EQ(FormatRfc3339Cst(AddMonthsCst(t, -1)), "2026-02-28T23:59:59+08:00");
  EXPECT_EQ(FormatRfc3339Cst(AddMonthsCst(t, -15)), "2024-12-31T23:59:59+08:00");
  EXPECT_EQ(FormatRfc3339Cst(AddMonthsCst(t, 12)), "2027-03-31T23:59:59+08:00");
}

TEST(ParseRfc3339, OffsetsAndZulu) {
  EXPECT_EQ(ParsedAt("2027-11-27T00:00:00+08:00"), ParsedAt("2027-11-26T16:00:00Z"));
  EXPECT_EQ(ParsedAt("2027-11-26T16:00:00z"), ParsedAt("2027-11-26T16:00:00Z"));
  EXPECT_EQ(ParsedAt("2027-11-26t11:30:00-04:30"), ParsedAt("2027-11-26T16:00:00Z"));
  EXPECT_EQ(ParsedAt("1970-01-01T00:00:00Z").time_since_epoch().count(), 0);
  EXPECT_EQ(ParsedAt("1970-01-01T00:00:00-00:00").time_since_epoch().count(), 0);
}

TEST(ParseRfc3339, FractionalSecondsAreTruncated) {
  EXPECT_EQ(ParsedAt("2027-01-01T00:00:00.999999999Z"), ParsedAt("2027-01-01T00:00:00Z"));
  EXPECT_EQ(ParsedAt("2027-01-01T00:00:05.5+08:00"), ParsedAt("2027-01-01T00:00:05+08:00"));
}

TEST(ParseRfc3339, RefusesMalformedInput) {
  for (const char* bad :
       {"", "2027-01-01", "2027-01-01T00:00:00", "2027-01-01 00:00:00Z", "2027-1-01T00:00:00Z",
        "2027-01-01T00:00Z", "2027-01-01T00:00:00.Z", "2027-01-01T00:00:00+0800",
        "2027-01-01T00:00:00+08", "2027-01-01T00:00:00Zx", "2027-01-01T00:00:00+08:00 ",
        " 2027-01-01T00:00:00Z", "２027-01-01T00:00:00Z", "2027/01/01T00:00:00Z",
        "2027-01-01T00:00:00UTC"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
}

TEST(ParseRfc3339, RefusesOutOfRangeFields) {
  for (const char* bad : {"2027-13-01T00:00:00Z", "2027-00-01T00:00:00Z", "2027-02-29T00:00:00Z",
                          "2028-02-30T00:00:00Z", "2027-04-31T00:00:00Z", "2027-01-00T00:00:00Z",
                          "2027-01-01T24:00:00Z", "2027-01-01T00:60:00Z", "2027-01-01T00:00:60Z",
                          "2027-01-01T00:00:00+24:00", "2027-01-01T00:00:00+08:60"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseRfc3339("2028-02-29T23:59:59+23:59").has_value());
}

TEST(Format, CstAndUtcAndDate) {
  const Time t = ParsedAt("2027-02-27T02:00:00Z");
  EXPECT_EQ(FormatRfc3339Cst(t), "2027-02-27T10:00:00+08:00");
  EXPECT_EQ(FormatRfc3339Utc(t), "2027-02-27T02:00:00Z");
  EXPECT_EQ(FormatDateCst(ParsedAt("2027-02-27T16:00:00Z")), "2027-02-28");
  EXPECT_EQ(ParsedAt(FormatRfc3339Cst(t)), t);
  EXPECT_EQ(FormatRfc3339Utc(Time{}), "1970-01-01T00:00:00Z");
}

// The text FormatRfc3339Cst/Utc gave when they were written with snprintf: the faster writer must
// give the same bytes for every time, including years outside 0000–9999.
std::string SnprintfFormat(Time t, std::chrono::seconds offset, const char* zone) {
  const auto local = t + offset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss<std::chrono::seconds> hms(local - day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%s", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), zone);
  return buf;
}

TEST(Format, SameTextAsSnprintfForEveryKindOfTime) {
  const int64_t year = 31556952;  // seconds in an average Gregorian year
  std::vector<int64_t> secs = {0,
                               -1,
                               1,
                               86399,
                               86400,
                               -86400,
                               -28800,
                               -28801,
                               253402300799,
                               253402300800,
                               253402271999,
                               253402272000,
                               -62167219200,
                               -62167219201,
                               -62167248000,
                               -62167248001};
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> any(-12000 * year, 12000 * year);
  for (int i = 0; i < 200000; ++i) secs.push_back(any(rng));
  for (int64_t s : secs) {
    const Time t{std::chrono::seconds{s}};
    ASSERT_EQ(FormatRfc3339Cst(t), SnprintfFormat(t, kCstOffset, "+08:00")) << s;
    ASSERT_EQ(FormatRfc3339Utc(t), SnprintfFormat(t, std::chrono::seconds{0}, "Z")) << s;
  }
  EXPECT_EQ(FormatRfc3339Utc(Time{std::chrono::seconds{253402300799}}), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339Utc(Time{std::chrono::seconds{253402300800}}), "10000-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(Time{std::chrono::seconds{-62167219200}}), "0000-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(Time{std::chrono::seconds{-62167219201}}), "-001-12-31T23:59:59Z");
}

}  // namespace
}  // namespace beian
