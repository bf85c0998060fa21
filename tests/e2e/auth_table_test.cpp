// Every row of the authentication table (spec/platform.md §2, issue 2 item 8), against the real
// binary over loopback, with real ed25519 signatures. Each case checks the exact status and body.

#include <gtest/gtest.h>

#include <memory>

#include "auth/credentials.h"
#include "e2e/support/client.h"
#include "e2e/support/fake_near_rpc.h"
#include "e2e/support/server_process.h"
#include "e2e/support/shared_server.h"
#include "e2e/support/tokens.h"

namespace nearhub::e2e {
namespace {

using nlohmann::json;

const json kInvalidSignature = {{"detail", "Invalid signature"}};

class AuthTable : public SharedServerTest<AuthTable> {
 public:
  // test.near is accepted too, so that a recipient can be tampered from one accepted
  // recipient to another and reach the signature check.
  static ServerProcess::Options server_options() {
    return {.environment = {{"NEARHUB_AUTH_RECIPIENTS", "ai.near,test.near"},
                            {"NEARHUB_ACCESS_LOG", "false"}}};
  }

 protected:
  Reply list_nonces(const std::string& token) const {
    return client().get("/v1/nonce/list", bearer(token));
  }
  // A token-error body: status_code 400, a message containing `needle`, data null.
  static void expect_token_error(const Reply& reply, const std::string& needle) {
    ASSERT_EQ(reply.status, 400) << reply.body;
    const json body = reply.json();
    EXPECT_EQ(body["status_code"], 400);
    EXPECT_TRUE(body["data"].is_null());
    EXPECT_NE(body["message"].get<std::string>().find(needle), std::string::npos)
        << body["message"];
  }

  auth::NearCredentials alice_ = auth::generate_implicit_credentials();
};

TEST_F(AuthTable, ValidTokenIsAcceptedAndRecorded) {
  const Reply reply = list_nonces(sign_token(alice_));
  ASSERT_EQ(reply.status, 200) << reply.body;
  ASSERT_EQ(reply.json().size(), 1u);
  EXPECT_EQ(reply.json()[0]["account_id"], alice_.account_id);
}

TEST_F(AuthTable, NoTokenIsRefusedWhereRequired) {
  const Reply reply = client().get("/v1/nonce/list");
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.json(), json({{"detail", "Authorization required"}}));
}

TEST_F(AuthTable, OtherSchemesCountAsNoToken) {
  const Reply reply = client().get("/v1/nonce/list", {{"Authorization", "Basic YWxpY2U6eA=="}});
  EXPECT_EQ(reply.status, 403);
}

TEST_F(AuthTable, DoubledBearerPrefixIsTolerated) {
  const Reply reply =
      client().get("/v1/nonce/list", {{"Authorization", "Bearer Bearer " + sign_token(alice_)}});
  EXPECT_EQ(reply.status, 200) << reply.body;
}

TEST_F(AuthTable, MalformedJson) { expect_token_error(list_nonces("{not json"), "Invalid JSON"); }

TEST_F(AuthTable, MissingField) {
  json token = json::parse(sign_token(alice_));
  token.erase("signature");
  expect_token_error(list_nonces(token.dump()), "signature");
  expect_token_error(list_nonces(token.dump()), "Field required");
}

TEST_F(AuthTable, NonceThatIsNotAString) {
  expect_token_error(list_nonces(tamper(sign_token(alice_), "nonce", 1722875604184)), "nonce");
}

TEST_F(AuthTable, NonNumericNonce) {
  expect_token_error(list_nonces(sign_token(alice_, {.nonce = "17228756041x4"})), "nonce");
}

TEST_F(AuthTable, TooLongNonce) {
  expect_token_error(list_nonces(tamper(sign_token(alice_), "nonce", std::string(33, '1'))),
                     "Invalid nonce length");
}

TEST_F(AuthTable, FutureNonce) {
  expect_token_error(list_nonces(sign_token(alice_, {.nonce = nonce_now(3'600'000)})),
                     "Nonce is in the future");
}

TEST_F(AuthTable, TooOldNonce) {
  const std::int64_t eleven_years_ms = 11LL * 365 * 24 * 3600 * 1000;
  expect_token_error(list_nonces(sign_token(alice_, {.nonce = nonce_now(-eleven_years_ms)})),
                     "Nonce is too old");
}

TEST_F(AuthTable, WrongSignature) {
  const std::string other = sign_token(auth::generate_implicit_credentials());
  const Reply reply =
      list_nonces(tamper(sign_token(alice_), "signature", json::parse(other)["signature"]));
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(), kInvalidSignature);
}

TEST_F(AuthTable, MalformedSignatureAndKeyAre401Not500) {
  for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"signature", "not base64 at all"},
           {"signature", "c2hvcnQ="},
           {"public_key", "ed25519:0OIl"},
           {"public_key", "ed25519:2aPrik9S1qCnnfNo2doETrNa61"}}) {
    const Reply reply = list_nonces(tamper(sign_token(alice_), field, value));
    EXPECT_EQ(reply.status, 401) << field << "=" << value << ": " << reply.body;
    EXPECT_EQ(reply.json(), kInvalidSignature);
  }
}

TEST_F(AuthTable, TamperedFieldsAreRefused) {
  const std::string signed_token =
      sign_token(alice_, {.recipient = "test.near", .callback_url = "https://a.example/cb"});
  ASSERT_EQ(list_nonces(signed_token).status, 200);
  const std::vector<std::pair<std::string, json>> edits = {
      {"message", "Welcome to NEAR AI Hub?"},
      {"recipient", "ai.near"},
      {"nonce", nonce_now(-1000)},
      {"callback_url", "https://b.example/cb"},
      {"callback_url", nullptr},
  };
  for (const auto& [field, value] : edits) {
    const Reply reply = list_nonces(tamper(signed_token, field, value));
    EXPECT_EQ(reply.status, 401) << field << ": " << reply.body;
    EXPECT_EQ(reply.json(), kInvalidSignature) << field;
  }
}

TEST_F(AuthTable, SignatureWithoutCallbackStillVerifiesWhenCallbackSent) {
  // Some wallets sign without the callback URL they were given (§2.4 step 5).
  const std::string token = sign_token(alice_);  // signed with callback_url None
  EXPECT_EQ(list_nonces(tamper(token, "callback_url", "https://near.ai")).status, 200);
}

TEST_F(AuthTable, RecipientOutsideTheAllowListIsRefused) {
  const Reply reply = list_nonces(sign_token(alice_, {.recipient = "evil.near"}));
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(),
            json({{"detail", "Token recipient 'evil.near' is not accepted by this hub"}}));
}

TEST_F(AuthTable, ForeignKeyIsRefused) {
  // Bob signs a token claiming to be Alice's implicit account, with his own key.
  const auth::NearCredentials bob = auth::generate_implicit_credentials();
  const auth::NearCredentials bob_as_alice{alice_.account_id, bob.secret_key};
  const Reply reply = list_nonces(sign_token(bob_as_alice));
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(), kInvalidSignature);
}

TEST_F(AuthTable, ImplicitIdNotMatchingTheKeyIsRefused) {
  auth::NearCredentials wrong = alice_;
  wrong.account_id[0] = wrong.account_id[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(list_nonces(sign_token(wrong)).json(), kInvalidSignature);
}

TEST_F(AuthTable, NamedAccountWithoutAnOwnershipCheckIsRefused) {
  // The default chain is `implicit` only: a named account cannot be confirmed offline.
  const auth::NearCredentials named{"alice.near", alice_.secret_key};
  const Reply reply = list_nonces(sign_token(named));
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(), kInvalidSignature);
}

TEST_F(AuthTable, RevokedNonceIsRefusedOnTheNextRequest) {
  const std::string token = sign_token(alice_);
  ASSERT_EQ(list_nonces(token).status, 200);
  const std::string nonce = list_nonces(token).json()[0]["nonce"];

  const std::string revoke_token =
      sign_token(alice_, {.message = "Are you sure? Revoking a nonce"});
  const Reply revoked =
      client().post("/v1/nonce/revoke", json({{"nonce", nonce}}).dump(), bearer(revoke_token));
  ASSERT_EQ(revoked.status, 200) << revoked.body;

  const Reply reply = list_nonces(token);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(), json({{"detail", "Revoked nonce"}}));
}

TEST_F(AuthTable, RevokeAllRefusesEveryEarlierToken) {
  const std::string first = sign_token(alice_, {.nonce = nonce_now(-2000)});
  const std::string second = sign_token(alice_, {.nonce = nonce_now(-1000)});
  ASSERT_EQ(list_nonces(first).status, 200);
  ASSERT_EQ(list_nonces(second).status, 200);
  const Reply revoked =
      client().post("/v1/nonce/revoke/all", "",
                    bearer(sign_token(alice_, {.message = "Are you sure? Revoking all nonces"})));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(revoked.json(), json({{"message", "All nonces revoked"}}));
  EXPECT_EQ(list_nonces(first).json(), json({{"detail", "Revoked nonce"}}));
  EXPECT_EQ(list_nonces(second).json(), json({{"detail", "Revoked nonce"}}));
}

// --- delegation (§2.6) ---------------------------------------------------------------------

class Delegation : public AuthTable {
 protected:
  Reply delegate(const std::string& expires_at) const {
    return client().post("/v1/delegation/delegate?delegate_account_id=" + bob_.account_id +
                             "&expires_at=" + expires_at,
                         "", bearer(sign_token(alice_)));
  }
  Reply as_alice() const {
    return list_nonces(sign_token(bob_, {.on_behalf_of = alice_.account_id}));
  }
  auth::NearCredentials bob_ = auth::generate_implicit_credentials();
};

TEST_F(Delegation, PresentLetsTheDelegateActAsTheOriginal) {
  ASSERT_EQ(delegate("2099-01-01T00:00:00Z").status, 200);
  const Reply reply = as_alice();
  ASSERT_EQ(reply.status, 200) << reply.body;
  // The effective account is Alice: the list is hers, and now holds Bob's token nonce too.
  for (const json& nonce : reply.json()) EXPECT_EQ(nonce["account_id"], alice_.account_id);
  EXPECT_EQ(reply.json().size(), 2u);
}

TEST_F(Delegation, Absent) {
  const Reply reply = as_alice();
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(), json({{"detail", bob_.account_id +
                                               " don't have permission to execute action on "
                                               "behalf of " +
                                               alice_.account_id + "."}}));
}

TEST_F(Delegation, Expired) {
  ASSERT_EQ(delegate("2020-01-01T00:00:00").status, 200);
  const Reply reply = as_alice();
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(),
            json({{"detail", bob_.account_id + " permission to operate on behalf of " +
                                 alice_.account_id + " expired."}}));
}

TEST_F(Delegation, RevokedIsRefusedOnTheNextRequest) {
  ASSERT_EQ(delegate("2099-01-01T00:00:00Z").status, 200);
  ASSERT_EQ(as_alice().status, 200);
  const Reply revoked =
      client().post("/v1/delegation/revoke_delegation?delegate_account_id=" + bob_.account_id, "",
                    bearer(sign_token(alice_)));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(revoked.body, "null");
  EXPECT_EQ(as_alice().status, 401);
}

// --- named accounts through NEAR RPC (§2.5) ------------------------------------------------

class RpcOwnership : public ::testing::Test {
 protected:
  void SetUp() override {
    rpc_ = std::make_unique<FakeNearRpc>();
    server_ = std::make_unique<ServerProcess>(
        ServerProcess::Options{.environment = {{"NEARHUB_AUTH_KEY_OWNERSHIP", "implicit,rpc"},
                                               {"NEARHUB_AUTH_RPC_URL", rpc_->url()},
                                               {"NEARHUB_AUTH_OUTBOUND_TIMEOUT_MS", "2000"}}});
  }
  Reply list_as(const std::string& account, const auth::NearCredentials& key) const {
    return Client(server_->base_url())
        .get("/v1/nonce/list", bearer(sign_token({account, key.secret_key})));
  }

  auth::NearCredentials key_ = auth::generate_implicit_credentials();
  std::unique_ptr<FakeNearRpc> rpc_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(RpcOwnership, FullAccessKeyIsAccepted) {
  rpc_->add_key("alice.near", key_.secret_key.public_key().to_string(),
                FakeNearRpc::Permission::FullAccess);
  const Reply reply = list_as("alice.near", key_);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()[0]["account_id"], "alice.near");
  // Confirmed ownership is cached: a second token does not ask the node again.
  const int queries = rpc_->queries();
  EXPECT_EQ(list_as("alice.near", key_).status, 200);
  EXPECT_EQ(rpc_->queries(), queries);
}

TEST_F(RpcOwnership, FunctionCallKeyIsRefused) {
  rpc_->add_key("alice.near", key_.secret_key.public_key().to_string(),
                FakeNearRpc::Permission::FunctionCall);
  const Reply reply = list_as("alice.near", key_);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(), kInvalidSignature);
}

TEST_F(RpcOwnership, UnknownKeyIsRefused) {
  const Reply reply = list_as("alice.near", key_);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(), kInvalidSignature);
}

TEST_F(RpcOwnership, RpcDownIsRefused) {
  rpc_->add_key("alice.near", key_.secret_key.public_key().to_string(),
                FakeNearRpc::Permission::FullAccess);
  rpc_->stop();
  const Reply reply = list_as("alice.near", key_);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(), kInvalidSignature);
}

TEST_F(RpcOwnership, RefusalIsNotCached) {
  // A key added on chain after a refusal is accepted at once (the original cached refusals).
  EXPECT_EQ(list_as("alice.near", key_).status, 401);
  rpc_->add_key("alice.near", key_.secret_key.public_key().to_string(),
                FakeNearRpc::Permission::FullAccess);
  EXPECT_EQ(list_as("alice.near", key_).status, 200);
}

}  // namespace
}  // namespace nearhub::e2e
