#include <gtest/gtest.h>

#include "auth/delegation_store.h"
#include "auth/nonce_store.h"
#include "unit/auth/test_files.h"

namespace nearhub::auth {
namespace {

class StoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = db::open("sqlite:" + dir_.file("hub.db"));
    database_->migrate();
    session_ = database_->session();
  }

  NonceRecord nonce(std::string account, std::string nonce_text, std::int64_t seen_at) {
    return {std::move(account), std::move(nonce_text), "Welcome", "ai.near",
            std::nullopt,       NonceStatus::Active,   seen_at};
  }

  nearhub::testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  db::SessionPtr session_;
};

TEST_F(StoresTest, NonceInsertIfAbsentKeepsTheFirstRecord) {
  NonceStore store(*session_);
  EXPECT_FALSE(store.find_status("alice.near", "n1"));
  EXPECT_TRUE(store.insert_if_absent(nonce("alice.near", "n1", 100)));
  auto again = nonce("alice.near", "n1", 200);
  again.message = "other";
  EXPECT_FALSE(store.insert_if_absent(again));
  EXPECT_EQ(store.find_status("alice.near", "n1"), NonceStatus::Active);
  const auto records = store.list("alice.near");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].message, "Welcome");
  EXPECT_EQ(records[0].first_seen_at, 100);
}

TEST_F(StoresTest, NonceListKeepsAllFieldsInFirstSeenOrder) {
  NonceStore store(*session_);
  auto with_callback = nonce("alice.near", "n2", 300);
  with_callback.callback_url = "https://example.com/cb";
  store.insert_if_absent(with_callback);
  store.insert_if_absent(nonce("alice.near", "n1", 100));
  store.insert_if_absent(nonce("bob.near", "n1", 200));
  const auto records = store.list("alice.near");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].nonce, "n1");
  EXPECT_FALSE(records[0].callback_url);
  EXPECT_EQ(records[1].nonce, "n2");
  EXPECT_EQ(records[1].account_id, "alice.near");
  EXPECT_EQ(records[1].recipient, "ai.near");
  EXPECT_EQ(records[1].callback_url, "https://example.com/cb");
  EXPECT_EQ(records[1].status, NonceStatus::Active);
  EXPECT_TRUE(store.list("carol.near").empty());
}

TEST_F(StoresTest, NonceRevokeOneOrAll) {
  NonceStore store(*session_);
  store.insert_if_absent(nonce("alice.near", "n1", 1));
  store.insert_if_absent(nonce("alice.near", "n2", 2));
  store.insert_if_absent(nonce("bob.near", "n1", 3));
  EXPECT_TRUE(store.revoke("alice.near", "n1"));
  EXPECT_FALSE(store.revoke("alice.near", "unknown"));
  EXPECT_FALSE(store.find_status("alice.near", "unknown"));  // not pre-created
  EXPECT_EQ(store.find_status("alice.near", "n1"), NonceStatus::Revoked);
  EXPECT_EQ(store.find_status("alice.near", "n2"), NonceStatus::Active);
  EXPECT_EQ(store.revoke_all("alice.near"), 1);
  EXPECT_EQ(store.find_status("alice.near", "n2"), NonceStatus::Revoked);
  EXPECT_EQ(store.find_status("bob.near", "n1"), NonceStatus::Active);
  EXPECT_EQ(to_string(NonceStatus::Revoked), "revoked");
}

TEST_F(StoresTest, DelegationReplaceKeepsOneRowPerPair) {
  DelegationStore store(*session_);
  EXPECT_FALSE(store.find("alice.near", "bob.near"));
  store.replace("alice.near", "bob.near", 1000);
  store.replace("alice.near", "bob.near", 2000);
  store.replace("alice.near", "carol.near", std::nullopt);
  const auto found = store.find("alice.near", "bob.near");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->expires_at, 2000);
  EXPECT_EQ(found->original_account_id, "alice.near");
  EXPECT_EQ(found->delegation_account_id, "bob.near");
  EXPECT_FALSE(store.find("bob.near", "alice.near"));  // delegation has a direction
  const auto all = store.list("alice.near");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_LT(all[0].id, all[1].id);
  EXPECT_EQ(all[0].delegation_account_id, "bob.near");
  EXPECT_FALSE(all[1].expires_at);
}

TEST_F(StoresTest, DelegationRemoveOneOrAll) {
  DelegationStore store(*session_);
  store.replace("alice.near", "bob.near", std::nullopt);
  store.replace("alice.near", "carol.near", std::nullopt);
  store.replace("dave.near", "bob.near", std::nullopt);
  store.remove("alice.near", "bob.near");
  EXPECT_FALSE(store.find("alice.near", "bob.near"));
  EXPECT_TRUE(store.find("alice.near", "carol.near"));
  store.remove_all("alice.near");
  EXPECT_TRUE(store.list("alice.near").empty());
  EXPECT_TRUE(store.find("dave.near", "bob.near"));
}

}  // namespace
}  // namespace nearhub::auth
