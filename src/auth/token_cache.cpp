#include "auth/token_cache.h"

namespace nearhub::auth {

TokenCache::TokenCache(std::size_t capacity, std::chrono::milliseconds ttl, SteadyClock clock)
    : capacity_(capacity), ttl_(ttl), clock_(std::move(clock)) {}

std::optional<Token> TokenCache::find(const std::string& credentials) {
  const std::lock_guard lock(mutex_);
  const auto entry = entries_.find(credentials);
  if (entry == entries_.end()) return std::nullopt;
  if (clock_() >= entry->second.expires_at) {
    recency_.erase(entry->second.recency);
    entries_.erase(entry);
    return std::nullopt;
  }
  recency_.splice(recency_.begin(), recency_, entry->second.recency);
  return entry->second.token;
}

void TokenCache::insert(const std::string& credentials, const Token& token) {
  if (capacity_ == 0) return;
  const std::lock_guard lock(mutex_);
  const auto expires_at = clock_() + ttl_;
  if (const auto entry = entries_.find(credentials); entry != entries_.end()) {
    entry->second.token = token;
    entry->second.expires_at = expires_at;
    recency_.splice(recency_.begin(), recency_, entry->second.recency);
    return;
  }
  if (entries_.size() >= capacity_) {
    entries_.erase(*recency_.back());
    recency_.pop_back();
  }
  // unordered_map nodes never move, so the list can point at the stored key.
  const auto entry = entries_.emplace(credentials, Entry{token, expires_at, {}}).first;
  recency_.push_front(&entry->first);
  entry->second.recency = recency_.begin();
}

}  // namespace nearhub::auth
