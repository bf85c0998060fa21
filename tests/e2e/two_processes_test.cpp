// Several nearhub processes on one database (docs/deployment.md): what one process learns, the
// other enforces on its very next request. Runs on SQLite (one shared file) and, when
// NEARHUB_TEST_POSTGRES_URL is set, on one PostgreSQL schema.

#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "e2e/support/client.h"
#include "e2e/support/server_process.h"
#include "e2e/support/tokens.h"

namespace nearhub::e2e {
namespace {

using nlohmann::json;

// Two nearhub processes on the database of the first; `a_` talks to one, `b_` to the other.
class TwoProcesses : public ::testing::Test {
 protected:
  ServerProcess first_{{.environment = {{"NEARHUB_ACCESS_LOG", "false"}}}};
  ServerProcess second_{{.environment = {{"NEARHUB_ACCESS_LOG", "false"},
                                         {"NEARHUB_DATABASE", first_.database_url()}}}};
  const Client a_{first_.base_url()};
  const Client b_{second_.base_url()};
};

TEST_F(TwoProcesses, NonceRevokedThroughOneIsRefusedByTheOther) {
  const auth::NearCredentials alice = auth::generate_implicit_credentials();
  const std::string token = sign_token(alice);
  // Both processes have verified (and cached) the token's signature.
  ASSERT_EQ(a_.get("/v1/nonce/list", bearer(token)).status, 200);
  const Reply listed = b_.get("/v1/nonce/list", bearer(token));
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json().size(), 1u);  // one ledger: the second process saw the first's row

  const Reply revoked =
      a_.post("/v1/nonce/revoke", json({{"nonce", listed.json()[0]["nonce"]}}).dump(),
              bearer(sign_token(alice, {.message = "Are you sure? Revoking a nonce"})));
  ASSERT_EQ(revoked.status, 200) << revoked.body;

  const Reply refused = b_.get("/v1/nonce/list", bearer(token));
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.json(), json({{"detail", "Revoked nonce"}}));
}

TEST_F(TwoProcesses, DelegationWithdrawnThroughOneIsRefusedByTheOther) {
  const auth::NearCredentials alice = auth::generate_implicit_credentials();
  const auth::NearCredentials bob = auth::generate_implicit_credentials();

  ASSERT_EQ(a_.post("/v1/delegation/delegate?delegate_account_id=" + bob.account_id +
                        "&expires_at=2099-01-01T00:00:00",
                    "", bearer(sign_token(alice)))
                .status,
            200);
  const std::string as_alice = sign_token(bob, {.on_behalf_of = alice.account_id});
  ASSERT_EQ(b_.get("/v1/nonce/list", bearer(as_alice)).status, 200);
  ASSERT_EQ(a_.post("/v1/delegation/revoke_delegation?delegate_account_id=" + bob.account_id, "",
                    bearer(sign_token(alice)))
                .status,
            200);
  EXPECT_EQ(b_.get("/v1/nonce/list", bearer(as_alice)).status, 401);
}

}  // namespace
}  // namespace nearhub::e2e
