#include "inference/rate_limiter.h"

#include <algorithm>

#include "inference/usage_store.h"

namespace nearhub::inference {

std::int64_t rate_retry_after_s(std::int64_t now_ms) {
  const std::int64_t remaining_ms = rate_window_start(now_ms) + kRateWindowMs - now_ms;
  return std::max<std::int64_t>(1, (remaining_ms + 999) / 1000);
}

std::optional<std::int64_t> RateLimiter::admit(const std::string& account_id, std::int64_t now_ms) {
  if (!limits_.enabled()) return std::nullopt;
  const std::int64_t window_start = rate_window_start(now_ms);
  auto session = database_.session();
  UsageStore store(*session);
  if (pruned_before_.exchange(window_start) != window_start) {
    store.delete_windows_before(window_start);
  }
  const UsageStore::Window window = store.add_to_window(account_id, window_start, 1, 0);
  const bool too_many_requests =
      limits_.requests_per_minute > 0 && window.requests > limits_.requests_per_minute;
  const bool too_many_tokens =
      limits_.tokens_per_minute > 0 && window.tokens >= limits_.tokens_per_minute;
  if (too_many_requests || too_many_tokens) return rate_retry_after_s(now_ms);
  return std::nullopt;
}

void RateLimiter::add_tokens(db::Session& session, const std::string& account_id,
                             std::int64_t tokens, std::int64_t at_ms) const {
  if (limits_.tokens_per_minute <= 0 || tokens <= 0) return;
  UsageStore(session).add_to_window(account_id, rate_window_start(at_ms), 0, tokens);
}

}  // namespace nearhub::inference
