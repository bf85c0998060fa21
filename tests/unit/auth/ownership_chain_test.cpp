#include "auth/ownership_chain.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace nearhub::auth {
namespace {

using namespace std::chrono_literals;

// Answers from a settable value and counts its calls.
class ScriptedVerifier : public OwnershipVerifier {
 public:
  explicit ScriptedVerifier(Ownership answer) : answer_(answer) {}
  std::string_view name() const override { return "scripted"; }
  Ownership check(const std::string&, const std::string&) const override {
    ++calls_;
    return answer_.load();
  }
  void answer(Ownership answer) { answer_ = answer; }
  int calls() const { return calls_; }

 private:
  std::atomic<Ownership> answer_;
  mutable std::atomic<int> calls_{0};
};

struct Chain {
  explicit Chain(std::vector<Ownership> answers) {
    std::vector<std::unique_ptr<OwnershipVerifier>> owned;
    for (const auto answer : answers) {
      auto verifier = std::make_unique<ScriptedVerifier>(answer);
      verifiers.push_back(verifier.get());
      owned.push_back(std::move(verifier));
    }
    chain = std::make_unique<OwnershipChain>(std::move(owned), 300s, [this] { return now; });
  }
  std::chrono::steady_clock::time_point now{};
  std::vector<ScriptedVerifier*> verifiers;
  std::unique_ptr<OwnershipChain> chain;
};

TEST(OwnershipChain, AcceptsWhenAnyVerifierOwnsTheKey) {
  Chain chain({Ownership::NotOwned, Ownership::Unavailable, Ownership::Owned});
  EXPECT_TRUE(chain.chain->owns("alice.near", "ed25519:k"));
  for (auto* verifier : chain.verifiers) EXPECT_EQ(verifier->calls(), 1);
}

TEST(OwnershipChain, StopsAtTheFirstOwner) {
  Chain chain({Ownership::Owned, Ownership::Owned});
  EXPECT_TRUE(chain.chain->owns("alice.near", "ed25519:k"));
  EXPECT_EQ(chain.verifiers[1]->calls(), 0);
}

TEST(OwnershipChain, FailsClosed) {
  Chain chain({Ownership::Unavailable, Ownership::NotOwned});
  EXPECT_FALSE(chain.chain->owns("alice.near", "ed25519:k"));
}

TEST(OwnershipChain, CachesPositiveAnswersForTheTtl) {
  Chain chain({Ownership::Owned});
  EXPECT_TRUE(chain.chain->owns("alice.near", "ed25519:k"));
  chain.verifiers[0]->answer(Ownership::NotOwned);
  chain.now += 299s;
  EXPECT_TRUE(chain.chain->owns("alice.near", "ed25519:k"));
  EXPECT_EQ(chain.verifiers[0]->calls(), 1);
  chain.now += 1s;
  EXPECT_FALSE(chain.chain->owns("alice.near", "ed25519:k"));
  EXPECT_EQ(chain.verifiers[0]->calls(), 2);
}

TEST(OwnershipChain, CachesPerKeyAndAccount) {
  Chain chain({Ownership::Owned});
  EXPECT_TRUE(chain.chain->owns("alice.near", "ed25519:k"));
  EXPECT_TRUE(chain.chain->owns("bob.near", "ed25519:k"));
  EXPECT_TRUE(chain.chain->owns("alice.near", "ed25519:j"));
  EXPECT_EQ(chain.verifiers[0]->calls(), 3);
}

TEST(OwnershipChain, DoesNotCacheNegativeOrUnavailableAnswers) {
  // [BUG] fix: the original cached failures, locking users out through a brief outage.
  Chain chain({Ownership::Unavailable});
  EXPECT_FALSE(chain.chain->owns("alice.near", "ed25519:k"));
  chain.verifiers[0]->answer(Ownership::Owned);
  EXPECT_TRUE(chain.chain->owns("alice.near", "ed25519:k"));
}

TEST(OwnershipChain, IsSafeAcrossThreads) {
  Chain chain({Ownership::Owned});
  std::vector<std::thread> threads;
  std::atomic<int> owned{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (chain.chain->owns("account" + std::to_string((t * 200 + i) % 50), "ed25519:k")) ++owned;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(owned, 1600);
}

}  // namespace
}  // namespace nearhub::auth
