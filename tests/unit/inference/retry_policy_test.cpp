#include <gtest/gtest.h>

#include "inference/retry_policy.h"
#include "inference/upstream.h"

namespace nearhub::inference {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, RetriesConnectionErrors429And5xxOnly) {
  RetryPolicy policy;
  policy.retries = 2;
  EXPECT_TRUE(policy.may_retry(1, 0));
  EXPECT_TRUE(policy.may_retry(1, 429));
  EXPECT_TRUE(policy.may_retry(2, 503));
  EXPECT_FALSE(policy.may_retry(3, 503));  // two retries done
  EXPECT_FALSE(policy.may_retry(1, 400));
  EXPECT_FALSE(policy.may_retry(1, 401));
  EXPECT_FALSE(policy.may_retry(1, 404));
  policy.retries = 0;
  EXPECT_FALSE(policy.may_retry(1, 503));
}

TEST(RetryPolicy, BackoffDoublesUpToTheCap) {
  RetryPolicy policy;
  policy.backoff = milliseconds(100);
  policy.max_backoff = milliseconds(350);
  EXPECT_EQ(policy.delay(1), milliseconds(100));
  EXPECT_EQ(policy.delay(2), milliseconds(200));
  EXPECT_EQ(policy.delay(3), milliseconds(350));
  EXPECT_EQ(policy.delay(10), milliseconds(350));
}

TEST(RetryPolicy, ALongerRetryAfterWinsUpToTheCap) {
  RetryPolicy policy;
  policy.backoff = milliseconds(100);
  policy.max_backoff = milliseconds(5000);
  EXPECT_EQ(policy.delay(1, std::chrono::seconds(2)), milliseconds(2000));
  EXPECT_EQ(policy.delay(1, std::chrono::seconds(0)), milliseconds(100));
  EXPECT_EQ(policy.delay(1, std::chrono::seconds(60)), milliseconds(5000));
}

TEST(UpstreamErrors, MapToClearClientErrors) {
  const ModelRef model{"local", "m"};
  auto error = [&](long status, std::string body, std::string transport = "") {
    return upstream_error(model, {status, std::move(body), std::move(transport)});
  };
  EXPECT_EQ(error(404, "{}").status(), 400);
  EXPECT_EQ(error(404, "{}").message(), "Model not supported");
  EXPECT_EQ(error(401, "bad key").status(), 400);
  EXPECT_EQ(error(401, "bad key").message(), "Error code: 401 - bad key");
  EXPECT_EQ(error(429, "").status(), 429);
  EXPECT_EQ(error(503, "busy").status(), 502);
  EXPECT_EQ(error(503, "busy").message(), "Provider local failed: Error code: 503 - busy");
  EXPECT_EQ(error(0, "", "connection refused").status(), 502);
  EXPECT_EQ(error(0, "", "connection refused").message(),
            "Provider local is unreachable: connection refused");
  EXPECT_TRUE(worth_fallback({0, "", "x"}));
  EXPECT_TRUE(worth_fallback({503, "", ""}));
  EXPECT_TRUE(worth_fallback({404, "", ""}));
  EXPECT_FALSE(worth_fallback({400, "", ""}));
}

}  // namespace
}  // namespace nearhub::inference
