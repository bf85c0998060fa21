#pragma once
// A monotonic clock that tests can replace, for cache expiry.

#include <chrono>
#include <functional>

namespace nearhub::auth {

using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

inline SteadyClock steady_clock_now() {
  return [] { return std::chrono::steady_clock::now(); };
}

}  // namespace nearhub::auth
