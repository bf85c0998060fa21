#include "auth/ownership_chain.h"

#include <spdlog/spdlog.h>

namespace nearhub::auth {

OwnershipChain::OwnershipChain(std::vector<std::unique_ptr<OwnershipVerifier>> verifiers,
                               std::chrono::milliseconds cache_ttl, SteadyClock clock)
    : verifiers_(std::move(verifiers)), cache_ttl_(cache_ttl), clock_(std::move(clock)) {}

bool OwnershipChain::owns(const std::string& account_id, const std::string& public_key) {
  const Key key{public_key, account_id};
  if (cached(key)) return true;
  // Verifiers run outside the lock: remote ones may take seconds.
  for (const auto& verifier : verifiers_) {
    const Ownership answer = verifier->check(account_id, public_key);
    if (answer == Ownership::Owned) {
      remember(key);
      return true;
    }
    if (answer == Ownership::Unavailable) {
      spdlog::warn("key ownership verifier '{}' unavailable for {}", verifier->name(), account_id);
    }
  }
  return false;
}

bool OwnershipChain::cached(const Key& key) {
  const std::lock_guard lock(mutex_);
  const auto entry = expiry_.find(key);
  if (entry == expiry_.end()) return false;
  if (clock_() < entry->second) return true;
  expiry_.erase(entry);
  return false;
}

void OwnershipChain::remember(const Key& key) {
  const std::lock_guard lock(mutex_);
  const auto now = clock_();
  // Entries only exist for keys that signed a valid token, so the map stays small; dropping the
  // expired ones whenever it is written keeps it from growing over time.
  std::erase_if(expiry_, [&](const auto& entry) { return entry.second <= now; });
  expiry_[key] = now + cache_ttl_;
}

}  // namespace nearhub::auth
