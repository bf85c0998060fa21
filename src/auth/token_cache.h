#pragma once
// Tokens whose signature and key ownership were verified recently, keyed by the exact
// credentials text, so that a client reusing its token skips the ed25519 check and the
// ownership lookup. Bounded: the least recently used entry goes first.
// Only that verification is cached. Revocation and delegation are read from the database on
// every request, because several processes share it (DESIGN.md "Data").

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/clock.h"
#include "auth/token.h"

namespace nearhub::auth {

class TokenCache {
 public:
  TokenCache(std::size_t capacity, std::chrono::milliseconds ttl,
             SteadyClock clock = steady_clock_now());

  // Thread-safe. The verified token, when `credentials` was verified less than ttl ago.
  std::optional<Token> find(const std::string& credentials);
  void insert(const std::string& credentials, const Token& token);

 private:
  struct Entry {
    Token token;
    std::chrono::steady_clock::time_point expires_at;
    std::list<const std::string*>::iterator recency;  // position in recency_
  };

  std::size_t capacity_;
  std::chrono::milliseconds ttl_;
  SteadyClock clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<const std::string*> recency_;  // keys of entries_, most recently used first
};

}  // namespace nearhub::auth
