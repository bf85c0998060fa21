// Several nearhub processes on one database (docs/deployment.md): what one process learns, the
// other enforces on its very next request. Runs on SQLite (one shared file) and, when
// NEARHUB_TEST_POSTGRES_URL is set, on one PostgreSQL schema.

#include <gtest/gtest.h>

#include <cstdlib>
#include <future>

#include "auth/credentials.h"
#include "e2e/support/client.h"
#include "e2e/support/inference_support.h"
#include "e2e/support/server_process.h"
#include "e2e/support/threads_api.h"
#include "e2e/support/tokens.h"
#include "fake_openai/fake_openai_server.h"

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

// A run executed through one process streams to a client of the other (issue 3's event channel
// carrying issue 6's run events). PostgreSQL only: on SQLite the event bus is in-process by
// design (docs/deployment.md), so a second process on the same file is not woken.
TEST(TwoProcessesOnPostgres, ARunStreamsToASubscriberOfTheOtherProcess) {
  if (std::getenv("NEARHUB_TEST_POSTGRES_URL") == nullptr) {
    GTEST_SKIP() << "needs PostgreSQL (NEARHUB_TEST_POSTGRES_URL): the SQLite bus is in-process";
  }
  testing::FakeOpenAiServer fake;
  const std::string toml = "[providers.local]\nbase_url = \"" + fake.base_url() + "\"\n";
  ServerProcess first(inference_server_options(toml));
  ServerProcess second(
      inference_server_options(toml, {{"NEARHUB_DATABASE", first.database_url()}}));
  const auth::NearCredentials alice = auth::generate_implicit_credentials();
  const ThreadsApi on_first(Client(first.base_url()), alice);
  const std::string thread = on_first.new_thread();
  const std::string run_id =
      on_first.create_run(thread, {{"assistant_id", "x/y/1"}, {"delegate_execution", true}})
          .json()["id"];

  // Subscribed on the second process; the run's events are written through the first.
  std::promise<void> subscribed;
  auto stream = std::async(std::launch::async, [&] {
    std::once_flag once;
    return stream_request("GET", second.base_url() + "/v1/threads/" + thread + "/stream/" + run_id,
                          "", bearer(sign_token(alice)), [&](const std::string&) {
                            std::call_once(once, [&] { subscribed.set_value(); });
                            return true;
                          });
  });
  // The first event (a delta) proves the subscription is live before the rest is sent.
  post_stream(first.base_url() + "/v1/chat/completions",
              json{{"model", "local::test-model"},
                   {"stream", true},
                   {"messages", {{{"role", "user"}, {"content", "across processes"}}}}}
                  .dump(),
              {{"Authorization", "Bearer " + sign_token(alice)}, {"run_id", run_id}});
  ASSERT_EQ(subscribed.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ASSERT_EQ(on_first.update_run(thread, run_id, {{"status", "completed"}}).status, 200);
  ASSERT_EQ(stream.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  const StreamReply reply = stream.get();
  std::string text;
  std::vector<std::string> names;
  for (const std::string& data : reply.events) {
    const json event = json::parse(data);
    names.push_back(event["event"]);
    if (event["event"] == "thread.message.delta") {
      text += event["data"]["delta"]["content"][0]["text"]["value"].get<std::string>();
    }
  }
  EXPECT_EQ(text, "echo: across processes");
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.back(), "thread.run.completed");
  EXPECT_EQ(names[names.size() - 2], "thread.message.completed");
}

}  // namespace
}  // namespace nearhub::e2e
