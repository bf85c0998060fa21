#include "auth/token_cache.h"

#include <gtest/gtest.h>

namespace nearhub::auth {
namespace {

using namespace std::chrono_literals;

Token token_for(std::string account) {
  Token token;
  token.account_id = std::move(account);
  return token;
}

struct Cache {
  explicit Cache(std::size_t capacity) : cache(capacity, 60s, [this] { return now; }) {}
  std::chrono::steady_clock::time_point now{};
  TokenCache cache;
};

TEST(TokenCache, FindsWhatWasInserted) {
  Cache cache(10);
  EXPECT_FALSE(cache.cache.find("a"));
  cache.cache.insert("a", token_for("alice.near"));
  EXPECT_EQ(cache.cache.find("a")->account_id, "alice.near");
  EXPECT_FALSE(cache.cache.find("a "));  // the exact text only
}

TEST(TokenCache, ForgetsAfterTheTtl) {
  Cache cache(10);
  cache.cache.insert("a", token_for("alice.near"));
  cache.now += 59s;
  EXPECT_TRUE(cache.cache.find("a"));
  cache.now += 1s;
  EXPECT_FALSE(cache.cache.find("a"));
}

TEST(TokenCache, ReinsertingRefreshesTheEntry) {
  Cache cache(10);
  cache.cache.insert("a", token_for("alice.near"));
  cache.now += 50s;
  cache.cache.insert("a", token_for("alice2.near"));
  cache.now += 50s;
  EXPECT_EQ(cache.cache.find("a")->account_id, "alice2.near");
}

TEST(TokenCache, EvictsTheLeastRecentlyUsed) {
  Cache cache(2);
  cache.cache.insert("a", token_for("a"));
  cache.cache.insert("b", token_for("b"));
  EXPECT_TRUE(cache.cache.find("a"));  // "b" is now the least recently used
  cache.cache.insert("c", token_for("c"));
  EXPECT_TRUE(cache.cache.find("a"));
  EXPECT_FALSE(cache.cache.find("b"));
  EXPECT_TRUE(cache.cache.find("c"));
}

TEST(TokenCache, StaysWithinCapacity) {
  Cache cache(100);
  for (int i = 0; i < 1000; ++i) cache.cache.insert(std::to_string(i), token_for("x"));
  int found = 0;
  for (int i = 0; i < 1000; ++i) found += cache.cache.find(std::to_string(i)) ? 1 : 0;
  EXPECT_EQ(found, 100);
  EXPECT_TRUE(cache.cache.find("999"));
}

TEST(TokenCache, CapacityZeroDisablesCaching) {
  Cache cache(0);
  cache.cache.insert("a", token_for("a"));
  EXPECT_FALSE(cache.cache.find("a"));
}

}  // namespace
}  // namespace nearhub::auth
