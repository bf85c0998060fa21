#include "util/time.h"

#include <gtest/gtest.h>

namespace nearhub::util {
namespace {

constexpr std::int64_t kSecond = 1'000'000;
// 2025-01-01T12:00:00 UTC
constexpr std::int64_t kNoonNewYear2025 = 1'735'732'800 * kSecond;

TEST(Time, NowIsConsistentAcrossUnits) {
  const auto ms = now_unix_ms();
  const auto us = now_unix_us();
  EXPECT_GT(ms, 1'700'000'000'000);
  EXPECT_LE(ms, us / 1000);
  EXPECT_LT(us / 1000 - ms, 1000);
}

TEST(Time, FormatsNaiveIsoWithoutZeroFraction) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00");
  EXPECT_EQ(format_iso8601(kNoonNewYear2025), "2025-01-01T12:00:00");
  EXPECT_EQ(format_iso8601(kNoonNewYear2025 + 1), "2025-01-01T12:00:00.000001");
  EXPECT_EQ(format_iso8601(kNoonNewYear2025 + 250'000), "2025-01-01T12:00:00.250000");
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999999");
  EXPECT_EQ(format_iso8601(951'782'400 * kSecond), "2000-02-29T00:00:00");
}

TEST(Time, ParsesIsoDateTimes) {
  EXPECT_EQ(parse_datetime("2025-01-01T12:00:00"), kNoonNewYear2025);
  EXPECT_EQ(parse_datetime("2025-01-01 12:00:00"), kNoonNewYear2025);
  EXPECT_EQ(parse_datetime("2025-01-01T12:00"), kNoonNewYear2025);
  EXPECT_EQ(parse_datetime("2025-01-01T12:00:00Z"), kNoonNewYear2025);
  EXPECT_EQ(parse_datetime("2025-01-01T12:00:00.5"), kNoonNewYear2025 + 500'000);
  EXPECT_EQ(parse_datetime("2025-01-01T12:00:00.000001Z"), kNoonNewYear2025 + 1);
  EXPECT_EQ(parse_datetime("2025-01-01T14:30:00+02:30"), kNoonNewYear2025);
  EXPECT_EQ(parse_datetime("2025-01-01T11:00:00-0100"), kNoonNewYear2025);
  EXPECT_EQ(parse_datetime("2025-01-01"), kNoonNewYear2025 - 12 * 3600 * kSecond);
}

TEST(Time, ParsesUnixNumbers) {
  EXPECT_EQ(parse_datetime("1735732800"), kNoonNewYear2025);
  EXPECT_EQ(parse_datetime("1735732800.25"), kNoonNewYear2025 + 250'000);
  EXPECT_EQ(parse_datetime("1735732800000"), kNoonNewYear2025);  // milliseconds above 2e10
  EXPECT_EQ(parse_datetime("0"), 0);
  EXPECT_EQ(parse_datetime("-1.5"), -1'500'000);
}

TEST(Time, RoundTripsFormattedValues) {
  for (const std::int64_t value : {std::int64_t{0}, kNoonNewYear2025, kNoonNewYear2025 + 123'456}) {
    EXPECT_EQ(parse_datetime(format_iso8601(value)), value);
  }
}

TEST(Time, RejectsMalformedText) {
  for (const std::string_view bad :
       {"", "yesterday", "2025-13-01T00:00:00", "2025-02-30", "2025-01-01T24:00:00",
        "2025-01-01T12:00:00.", "2025-01-01T12:00:00.1234567", "2025-01-01T12:00:00+5",
        "2025-01-01T12:00:00 junk", "2025-1-1", "1.", "12a", "--1"}) {
    EXPECT_FALSE(parse_datetime(bad)) << bad;
  }
}

}  // namespace
}  // namespace nearhub::util
