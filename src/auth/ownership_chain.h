#pragma once
// The configured verifiers, tried in order: a key is accepted as soon as one says Owned, and
// refused when none does, whatever the reason (fail closed). Positive answers are cached per
// (key, account) for a TTL; negative and unavailable answers are not, so that a brief outage of
// a remote verifier does not lock anyone out ([BUG] fix of spec/platform.md §2.5).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "auth/clock.h"
#include "auth/ownership.h"

namespace nearhub::auth {

class OwnershipChain {
 public:
  OwnershipChain(std::vector<std::unique_ptr<OwnershipVerifier>> verifiers,
                 std::chrono::milliseconds cache_ttl, SteadyClock clock = steady_clock_now());

  // Thread-safe. `public_key` is canonical ("ed25519:" + base58 of 32 bytes).
  bool owns(const std::string& account_id, const std::string& public_key);

 private:
  using Key = std::pair<std::string, std::string>;  // (public key, account id)

  bool cached(const Key& key);
  void remember(const Key& key);

  std::vector<std::unique_ptr<OwnershipVerifier>> verifiers_;
  std::chrono::milliseconds cache_ttl_;
  SteadyClock clock_;
  std::mutex mutex_;
  std::map<Key, std::chrono::steady_clock::time_point> expiry_;
};

}  // namespace nearhub::auth
