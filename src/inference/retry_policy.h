#pragma once
// When an upstream call is tried again, and after how long (docs/inference.md "Reliability").

#include <chrono>

namespace nearhub::inference {

struct RetryPolicy {
  int retries = 2;                         // extra attempts after the first
  std::chrono::milliseconds backoff{250};  // before the first retry
  std::chrono::milliseconds max_backoff{10'000};

  // A connection failure (status 0), 429 and 5xx are worth another attempt; other answers are
  // the provider's final word.
  static bool retryable_status(long status) {
    return status == 0 || status == 429 || status >= 500;
  }
  // Whether attempt number `attempt` (1 = the first) may be followed by another.
  bool may_retry(int attempt, long status) const {
    return attempt <= retries && retryable_status(status);
  }
  // Wait before retry number `retry` (1 = the first retry): backoff doubled each time, or the
  // provider's Retry-After when that is longer; capped at max_backoff either way.
  std::chrono::milliseconds delay(int retry,
                                  std::chrono::seconds retry_after = std::chrono::seconds(0)) const;
};

}  // namespace nearhub::inference
