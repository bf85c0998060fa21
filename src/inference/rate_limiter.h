#pragma once
// Per-account inference rate limits: requests and tokens per fixed one-minute window, counted in
// the database (inference_rate_windows) so that every nearhub process on it shares them.
// Off by default (both limits 0). Windows that have ended are deleted by the first request of
// each new window, so the table holds about one row per active account.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "db/database.h"

namespace nearhub::inference {

struct RateLimits {
  std::int64_t requests_per_minute = 0;  // 0 = no limit
  std::int64_t tokens_per_minute = 0;    // 0 = no limit
  bool enabled() const { return requests_per_minute > 0 || tokens_per_minute > 0; }
};

constexpr std::int64_t kRateWindowMs = 60'000;

// Start (Unix ms) of the window holding `now_ms`.
inline std::int64_t rate_window_start(std::int64_t now_ms) {
  return now_ms - now_ms % kRateWindowMs;
}
// Whole seconds until the window holding `now_ms` ends (at least 1): the Retry-After value.
std::int64_t rate_retry_after_s(std::int64_t now_ms);

class RateLimiter {
 public:
  RateLimiter(db::Database& database, RateLimits limits) : database_(database), limits_(limits) {}

  const RateLimits& limits() const { return limits_; }
  // Counts one request of `account_id` at `now_ms`. Returns nullopt when it may go on, else the
  // seconds until the window ends (the request is refused; it still counts, as fixed windows do).
  // The first call in a window this process sees also deletes the windows before it.
  std::optional<std::int64_t> admit(const std::string& account_id, std::int64_t now_ms);
  // Adds the tokens a finished request used to the window of `at_ms`.
  void add_tokens(db::Session& session, const std::string& account_id, std::int64_t tokens,
                  std::int64_t at_ms) const;

 private:
  db::Database& database_;
  RateLimits limits_;
  std::atomic<std::int64_t> pruned_before_{0};  // windows before this start are deleted
};

}  // namespace nearhub::inference
