#include "inference/retry_policy.h"

#include <algorithm>

namespace nearhub::inference {

std::chrono::milliseconds RetryPolicy::delay(int retry, std::chrono::seconds retry_after) const {
  std::chrono::milliseconds wait = backoff;
  for (int i = 1; i < retry && wait < max_backoff; ++i) wait *= 2;
  return std::min(std::max<std::chrono::milliseconds>(wait, retry_after), max_backoff);
}

}  // namespace nearhub::inference
