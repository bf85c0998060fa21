#include "inference/retry_policy.h"

#include <algorithm>

namespace nearhub::inference {

std::chrono::milliseconds RetryPolicy::delay(int retry) const {
  std::chrono::milliseconds wait = backoff;
  for (int i = 1; i < retry && wait < max_backoff; ++i) wait *= 2;
  return std::min(wait, max_backoff);
}

}  // namespace nearhub::inference
