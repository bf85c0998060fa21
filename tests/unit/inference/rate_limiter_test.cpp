#include <gtest/gtest.h>

#include "inference/rate_limiter.h"
#include "inference/usage_store.h"
#include "unit/db/engine_under_test.h"

namespace nearhub::inference {
namespace {

TEST(RateWindows, FixedMinuteWindows) {
  EXPECT_EQ(rate_window_start(120'000), 120'000);
  EXPECT_EQ(rate_window_start(179'999), 120'000);
  EXPECT_EQ(rate_retry_after_s(120'000), 60);
  EXPECT_EQ(rate_retry_after_s(150'500), 30);  // 29.5 s left, rounded up
  EXPECT_EQ(rate_retry_after_s(179'999), 1);
}

class RateLimiterTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database();
    database_->migrate();
  }
  std::unique_ptr<db::Database> database_;
};

TEST_P(RateLimiterTest, OffByDefault) {
  RateLimiter limiter(*database_, {});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.admit("alice.near", 1000), std::nullopt);
  // Nothing is even counted.
  EXPECT_TRUE(database_->session()->query("SELECT * FROM inference_rate_windows").empty());
}

TEST_P(RateLimiterTest, RequestsPerMinutePerAccount) {
  RateLimiter limiter(*database_, {.requests_per_minute = 2});
  const std::int64_t t = 600'000 + 15'000;
  EXPECT_EQ(limiter.admit("alice.near", t), std::nullopt);
  EXPECT_EQ(limiter.admit("alice.near", t + 1), std::nullopt);
  EXPECT_EQ(limiter.admit("alice.near", t + 2), std::optional<std::int64_t>(45));
  EXPECT_EQ(limiter.admit("bob.near", t + 3), std::nullopt);  // another account
  // The next window starts afresh.
  EXPECT_EQ(limiter.admit("alice.near", 660'000), std::nullopt);
}

TEST_P(RateLimiterTest, CountersAreSharedBetweenDatabaseHandles) {
  // Two processes = two Database objects on the same data.
  auto other = open_database();
  RateLimiter first(*database_, {.requests_per_minute = 3});
  RateLimiter second(*other, {.requests_per_minute = 3});
  EXPECT_EQ(first.admit("alice.near", 1000), std::nullopt);
  EXPECT_EQ(second.admit("alice.near", 1001), std::nullopt);
  EXPECT_EQ(first.admit("alice.near", 1002), std::nullopt);
  EXPECT_TRUE(second.admit("alice.near", 1003).has_value());
}

TEST_P(RateLimiterTest, TokensPerMinute) {
  RateLimiter limiter(*database_, {.tokens_per_minute = 100});
  EXPECT_EQ(limiter.admit("alice.near", 1000), std::nullopt);
  {
    auto session = database_->session();
    limiter.add_tokens(*session, "alice.near", 60, 1500);
    limiter.add_tokens(*session, "alice.near", 40, 2500);
  }
  EXPECT_TRUE(limiter.admit("alice.near", 3000).has_value());  // 100 used of 100
  EXPECT_EQ(limiter.admit("bob.near", 3000), std::nullopt);
  EXPECT_EQ(limiter.admit("alice.near", 61'000), std::nullopt);
}

TEST_P(RateLimiterTest, WindowsThatEndedAreDeleted) {
  RateLimiter limiter(*database_, {.requests_per_minute = 10});
  const auto windows = [&] {
    return database_->session()
        ->query("SELECT COUNT(*) FROM inference_rate_windows")
        .at(0)
        .integer(0);
  };
  limiter.admit("alice.near", 1000);
  limiter.admit("bob.near", 2000);
  EXPECT_EQ(windows(), 2);
  // The first request of the next window drops the ended one, of every account.
  limiter.admit("alice.near", 61'000);
  EXPECT_EQ(windows(), 1);
  EXPECT_EQ(limiter.admit("alice.near", 62'000), std::nullopt);  // its count survived
  EXPECT_EQ(windows(), 1);
}

INSTANTIATE_ENGINE_SUITE(RateLimiterTest);

}  // namespace
}  // namespace nearhub::inference
