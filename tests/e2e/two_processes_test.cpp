// Several nearhub processes on one database (docs/deployment.md): what one process learns, the
// other enforces on its very next request, and what one process writes into a run, a stream on
// the other receives. Runs on SQLite (one shared file) and, when NEARHUB_TEST_POSTGRES_URL is
// set, on one PostgreSQL schema.

#include <gtest/gtest.h>

#include <future>
#include <map>
#include <string>
#include <vector>

#include "auth/credentials.h"
#include "e2e/support/client.h"
#include "e2e/support/inference_support.h"
#include "e2e/support/registry_api.h"
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

// The names of a run stream's events, and the text of its message deltas.
struct StreamedRun {
  std::vector<std::string> names;
  std::string text;
};

StreamedRun read_run_stream(const StreamReply& reply) {
  StreamedRun run;
  for (const std::string& data : reply.events) {
    const json event = json::parse(data);
    run.names.push_back(event["event"]);
    if (event["event"] == "thread.message.delta") {
      run.text += event["data"]["delta"]["content"][0]["text"]["value"].get<std::string>();
    }
  }
  return run;
}

// Two processes with a provider, on the database of the first.
class TwoProcessesWithRuns : public ::testing::Test {
 protected:
  ServerProcess::Options options(std::map<std::string, std::string> environment = {}) const {
    return inference_server_options("[providers.local]\nbase_url = \"" + fake_.base_url() + "\"\n",
                                    std::move(environment));
  }

  testing::FakeOpenAiServer fake_;
  const auth::NearCredentials alice_ = auth::generate_implicit_credentials();
};

// A run whose events are written through one process streams to a client of the other: the
// event channel of docs/deployment.md crossing processes, on SQLite (sockets beside the file)
// and on PostgreSQL (LISTEN/NOTIFY).
TEST_F(TwoProcessesWithRuns, ARunStreamsToASubscriberOfTheOtherProcess) {
  ServerProcess first(options());
  ServerProcess second(options({{"NEARHUB_DATABASE", first.database_url()}}));
  const ThreadsApi on_first(Client(first.base_url()), alice_);
  const std::string thread = on_first.new_thread();
  const std::string run_id =
      on_first.create_run(thread, {{"assistant_id", "x/y/1"}, {"delegate_execution", true}})
          .json()["id"];

  // Subscribed on the second process; the run's events are written through the first.
  std::promise<void> subscribed;
  auto stream = std::async(std::launch::async, [&] {
    std::once_flag once;
    return stream_request("GET", second.base_url() + "/v1/threads/" + thread + "/stream/" + run_id,
                          "", bearer(sign_token(alice_)), [&](const std::string&) {
                            std::call_once(once, [&] { subscribed.set_value(); });
                            return true;
                          });
  });
  post_stream(first.base_url() + "/v1/chat/completions",
              json{{"model", "local::test-model"},
                   {"stream", true},
                   {"messages", {{{"role", "user"}, {"content", "across processes"}}}}}
                  .dump(),
              {{"Authorization", "Bearer " + sign_token(alice_)}, {"run_id", run_id}});
  // The first event (a delta) proves the subscription is live before the run ends.
  ASSERT_EQ(subscribed.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ASSERT_EQ(on_first.update_run(thread, run_id, {{"status", "completed"}}).status, 200);
  // Well before the next heartbeat's re-read (15 s): the announcement crossed.
  ASSERT_EQ(stream.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const StreamedRun run = read_run_stream(stream.get());
  EXPECT_EQ(run.text, "echo: across processes");
  ASSERT_GE(run.names.size(), 2u);
  EXPECT_EQ(run.names.back(), "thread.run.completed");
  EXPECT_EQ(run.names[run.names.size() - 2], "thread.message.completed");
}

// A queued run created and streamed on a process that executes no runs: the queue's wake-up
// reaches the other process, whose worker runs the prompt agent, and the agent's deltas come
// back to the stream. The executing process polls its queue only every minute, so a run that
// completes within seconds was woken by the announcement.
TEST_F(TwoProcessesWithRuns, AQueuedRunExecutedByTheOtherProcessStreamsBack) {
  ServerProcess executor(options({{"NEARHUB_RUNS_POLL_INTERVAL_MS", "60000"}}));
  ServerProcess api_only(
      options({{"NEARHUB_DATABASE", executor.database_url()}, {"NEARHUB_RUNS_WORKERS", "0"}}));
  const std::string agent =
      publish_prompt_agent(RegistryApi(api_only.base_url()), sign_token(alice_), alice_.account_id,
                           "remote", "Answer from afar.");
  const ThreadsApi api(Client(api_only.base_url()), alice_);
  const std::string thread = api.new_thread();
  api.new_message(thread, "who runs me");

  auto stream = std::async(std::launch::async, [&] {
    return post_stream(api_only.base_url() + "/v1/threads/" + thread + "/runs",
                       json{{"assistant_id", agent}, {"stream", true}}.dump(),
                       bearer(sign_token(alice_)));
  });
  ASSERT_EQ(stream.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  const StreamReply reply = stream.get();
  ASSERT_EQ(reply.status, 200) << reply.body;
  const StreamedRun run = read_run_stream(reply);
  EXPECT_EQ(run.text, "echo: who runs me");
  ASSERT_FALSE(run.names.empty()) << reply.body;
  EXPECT_EQ(run.names.back(), "thread.run.completed") << reply.body;
  // The prompt agent's completion went through the executing process, not the one streaming.
  const json messages = api.list_messages(thread, "?order=asc").json()["data"];
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1]["content"][0]["text"]["value"], "echo: who runs me");
}

}  // namespace
}  // namespace nearhub::e2e
