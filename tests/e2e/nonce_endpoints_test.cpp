// The nonce and delegation endpoints (spec/platform.md §5, §7.5–7.7): shapes, rules, bad input,
// and what a second account may see or change.

#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "e2e/support/client.h"
#include "e2e/support/server_process.h"
#include "e2e/support/shared_server.h"
#include "e2e/support/tokens.h"

namespace nearhub::e2e {
namespace {

using nlohmann::json;

constexpr const char* kRevokeMessage = "Are you sure? Revoking a nonce";

class NonceEndpoints : public SharedServerTest<NonceEndpoints> {
 protected:
  json nonces_of(const auth::NearCredentials& who) const {
    const Reply reply = client().get("/v1/nonce/list", bearer(sign_token(who)));
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json();
  }

  auth::NearCredentials alice_ = auth::generate_implicit_credentials();
  auth::NearCredentials bob_ = auth::generate_implicit_credentials();
};

TEST_F(NonceEndpoints, ListShowsEveryFieldOfTheCallersNonces) {
  const std::string nonce = nonce_now(-5000);
  const std::string token =
      sign_token(alice_, {.callback_url = "https://app.example/cb", .nonce = nonce});
  const Reply reply = client().get("/v1/nonce/list", bearer(token));
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json list = reply.json();
  ASSERT_EQ(list.size(), 1u);
  const json& entry = list[0];
  EXPECT_EQ(entry["nonce"], std::string(32 - nonce.size(), '0') + nonce);
  EXPECT_EQ(entry["account_id"], alice_.account_id);
  EXPECT_EQ(entry["message"], "Welcome to NEAR AI Hub!");
  EXPECT_EQ(entry["recipient"], "ai.near");
  EXPECT_EQ(entry["callback_url"], "https://app.example/cb");
  EXPECT_EQ(entry["nonce_status"], "active");
  // Naive ISO 8601, as the original renders its timestamps.
  EXPECT_TRUE(entry["first_seen_at"].get<std::string>().starts_with("20"));
  EXPECT_EQ(entry["first_seen_at"].get<std::string>().find('Z'), std::string::npos);
  // Reusing the same token records nothing new.
  EXPECT_EQ(client().get("/v1/nonce/list", bearer(token)).json().size(), 1u);
}

TEST_F(NonceEndpoints, AnotherAccountSeesOnlyItsOwnNonces) {
  nonces_of(alice_);
  const json bobs = nonces_of(bob_);
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0]["account_id"], bob_.account_id);
}

TEST_F(NonceEndpoints, AnotherAccountCannotRevokeYourNonce) {
  const json alices = nonces_of(alice_);
  const std::string nonce = alices[0]["nonce"];
  const Reply reply = client().post("/v1/nonce/revoke", json({{"nonce", nonce}}).dump(),
                                    bearer(sign_token(bob_, {.message = kRevokeMessage})));
  EXPECT_EQ(reply.status, 200);  // it revokes Bob's nonce of that value, of which he has none
  EXPECT_EQ(nonces_of(alice_)[0]["nonce_status"], "active");
}

TEST_F(NonceEndpoints, RevokeAnswersTheOriginalText) {
  const std::string nonce = nonces_of(alice_)[0]["nonce"];
  const Reply reply = client().post("/v1/nonce/revoke", json({{"nonce", nonce}}).dump(),
                                    bearer(sign_token(alice_, {.message = kRevokeMessage})));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json(), json({{"message", "Nonce nonce=b'" + nonce + "' revoked"}}));
}

TEST_F(NonceEndpoints, RevokeNeedsTheRevokeMessage) {
  const std::string nonce = nonces_of(alice_)[0]["nonce"];
  const Reply reply = client().post("/v1/nonce/revoke", json({{"nonce", nonce}}).dump(),
                                    bearer(sign_token(alice_)));
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(), json({{"detail", "Invalid nonce revoke message"}}));
  EXPECT_EQ(nonces_of(alice_)[0]["nonce_status"], "active");
}

TEST_F(NonceEndpoints, RevokeNeedsAFreshToken) {
  const std::string nonce = nonces_of(alice_)[0]["nonce"];
  const std::string stale =
      sign_token(alice_, {.message = kRevokeMessage, .nonce = nonce_now(-6 * 60 * 1000)});
  const Reply reply =
      client().post("/v1/nonce/revoke", json({{"nonce", nonce}}).dump(), bearer(stale));
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.json(), json({{"detail", "Invalid nonce"}}));
  EXPECT_EQ(nonces_of(alice_)[0]["nonce_status"], "active");
}

TEST_F(NonceEndpoints, RevokeWithoutATokenIs403Not500) {
  for (const char* path : {"/v1/nonce/revoke", "/v1/nonce/revoke/all"}) {
    const Reply reply = client().post(path, json({{"nonce", std::string(32, '1')}}).dump());
    EXPECT_EQ(reply.status, 403) << path;
    EXPECT_EQ(reply.json(), json({{"detail", "Authorization required"}})) << path;
  }
}

TEST_F(NonceEndpoints, RevokeRejectsANonceOfTheWrongLength) {
  nonces_of(alice_);
  for (const json& body : {json({{"nonce", "123"}}), json({{"nonce", std::string(33, '1')}}),
                           json({{"nonce", 5}}), json::object()}) {
    const Reply reply = client().post("/v1/nonce/revoke", body.dump(),
                                      bearer(sign_token(alice_, {.message = kRevokeMessage})));
    EXPECT_EQ(reply.status, 422) << body;
    EXPECT_EQ(reply.json()["status_code"], 422);
    EXPECT_TRUE(reply.json()["data"].is_null());
  }
  EXPECT_EQ(nonces_of(alice_)[0]["nonce_status"], "active");
}

TEST_F(NonceEndpoints, MalformedJsonBodyIs422AndAuthErrorsWinOverIt) {
  const Reply bad = client().post("/v1/nonce/revoke", "{oops",
                                  bearer(sign_token(alice_, {.message = kRevokeMessage})));
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.json()["status_code"], 422);
  // Without a token the authorization error is reported, not the body (spec §1.6).
  EXPECT_EQ(client().post("/v1/nonce/revoke", "{oops").status, 403);
}

TEST_F(NonceEndpoints, RevokeTokenStillWorksWhenItselfRevoked) {
  // Signature-only routes skip the nonce ledger (§2.9), and do not record the revoke token.
  const std::string revoke_all =
      sign_token(alice_, {.message = "Are you sure? Revoking all nonces"});
  nonces_of(alice_);
  EXPECT_EQ(client().post("/v1/nonce/revoke/all", "", bearer(revoke_all)).status, 200);
  EXPECT_EQ(client().post("/v1/nonce/revoke/all", "", bearer(revoke_all)).status, 200);
}

TEST_F(NonceEndpoints, DelegationsAreListedForTheirOwnerOnly) {
  ASSERT_EQ(client()
                .post("/v1/delegation/delegate?delegate_account_id=" + bob_.account_id +
                          "&expires_at=2030-05-06T07:08:09",
                      "", bearer(sign_token(alice_)))
                .status,
            200);
  const Reply mine =
      client().post("/v1/delegation/list_delegations", "", bearer(sign_token(alice_)));
  ASSERT_EQ(mine.status, 200) << mine.body;
  ASSERT_EQ(mine.json().size(), 1u);
  EXPECT_EQ(mine.json()[0]["original_account_id"], alice_.account_id);
  EXPECT_EQ(mine.json()[0]["delegation_account_id"], bob_.account_id);
  EXPECT_EQ(mine.json()[0]["expires_at"], "2030-05-06T07:08:09");
  EXPECT_TRUE(mine.json()[0]["id"].is_number_integer());

  const Reply bobs = client().post("/v1/delegation/list_delegations", "", bearer(sign_token(bob_)));
  EXPECT_EQ(bobs.json(), json::array());
  // Bob cannot withdraw Alice's delegation: revoke acts on his own grants only.
  client().post("/v1/delegation/revoke_delegation?delegate_account_id=", "",
                bearer(sign_token(bob_)));
  EXPECT_EQ(client()
                .post("/v1/delegation/list_delegations", "", bearer(sign_token(alice_)))
                .json()
                .size(),
            1u);
}

TEST_F(NonceEndpoints, DelegateReplacesAndRevokeAllEmpties) {
  const auto delegate_to = [&](const auth::NearCredentials& who, const std::string& when) {
    return client().post(
        "/v1/delegation/delegate?delegate_account_id=" + who.account_id + "&expires_at=" + when, "",
        bearer(sign_token(alice_)));
  };
  const auth::NearCredentials carol = auth::generate_implicit_credentials();
  ASSERT_EQ(delegate_to(bob_, "2030-01-01T00:00:00").status, 200);
  ASSERT_EQ(delegate_to(bob_, "2031-01-01T00:00:00").status, 200);
  ASSERT_EQ(delegate_to(carol, "2031-01-01T00:00:00").status, 200);
  json list =
      client().post("/v1/delegation/list_delegations", "", bearer(sign_token(alice_))).json();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["delegation_account_id"], bob_.account_id);
  EXPECT_EQ(list[0]["expires_at"], "2031-01-01T00:00:00");

  ASSERT_EQ(client()
                .post("/v1/delegation/revoke_delegation?delegate_account_id=", "",
                      bearer(sign_token(alice_)))
                .status,
            200);
  EXPECT_EQ(client().post("/v1/delegation/list_delegations", "", bearer(sign_token(alice_))).json(),
            json::array());
}

TEST_F(NonceEndpoints, DelegateRejectsBadParametersAndChangesNothing) {
  for (const std::string query : {"?delegate_account_id=x", "?expires_at=2030-01-01T00:00:00",
                                  "?delegate_account_id=x&expires_at=tomorrow"}) {
    const Reply reply =
        client().post("/v1/delegation/delegate" + query, "", bearer(sign_token(alice_)));
    EXPECT_EQ(reply.status, 422) << query << ": " << reply.body;
    EXPECT_EQ(reply.json()["status_code"], 422);
  }
  EXPECT_EQ(client().post("/v1/delegation/list_delegations", "", bearer(sign_token(alice_))).json(),
            json::array());
  const Reply missing =
      client().post("/v1/delegation/revoke_delegation", "", bearer(sign_token(alice_)));
  EXPECT_EQ(missing.status, 422);
}

TEST_F(NonceEndpoints, DelegationEndpointsNeedAToken) {
  for (const char* path : {"/v1/delegation/delegate?delegate_account_id=x&expires_at=2030-01-01",
                           "/v1/delegation/list_delegations",
                           "/v1/delegation/revoke_delegation?delegate_account_id="}) {
    const Reply reply = client().post(path);
    EXPECT_EQ(reply.status, 403) << path;
  }
}

}  // namespace
}  // namespace nearhub::e2e
