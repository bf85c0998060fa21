// Agent runs through external runners (spec/assistants.md §3, §6; docs/agents.md "Runners"):
// a fake runner that plays the official one calls the hub back (messages, run status) with the
// forwarded token; a runner that fails, hangs past the deadline or returns without finishing
// leaves the run failed or expired with last_error; the HTTP and subprocess transports carry the
// same payload; a run survives a crash of its process and still ends.

#include <gtest/gtest.h>

#include <memory>

#include "auth/credentials.h"
#include "e2e/support/inference_support.h"
#include "e2e/support/registry_api.h"
#include "e2e/support/threads_api.h"
#include "e2e/support/tokens.h"
#include "fake_runner/fake_agent_runner.h"
#include "util/time.h"

namespace nearhub::e2e {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Publishes an agent whose FAKE_RUNNER_MODE env var picks the fake runner's behaviour.
std::string publish_agent(const std::string& base_url, const auth::NearCredentials& who,
                          const std::string& name, const std::string& mode) {
  const json details = {{"agent", {{"framework", "minimal"}}},
                        {"env_vars", {{"FAKE_RUNNER_MODE", mode}, {"FROM_METADATA", "yes"}}}};
  const FullReply reply = RegistryApi(base_url).upload_metadata(
      sign_token(who), {who.account_id, name, "1.0.0"}, entry_metadata("agent", details));
  EXPECT_EQ(reply.status, 200) << reply.body;
  return who.account_id + "/" + name + "/1.0.0";
}

// The run once it has left queued and in_progress (up to `wait`).
json final_run(const ThreadsApi& as, const std::string& thread, const std::string& run_id,
               std::chrono::milliseconds wait = std::chrono::seconds(15)) {
  json run;
  eventually(
      [&] {
        run = as.get_run(thread, run_id).json();
        return run["status"] != "queued" && run["status"] != "in_progress";
      },
      wait);
  return run;
}

std::string last_text(const ThreadsApi& as, const std::string& thread) {
  const json messages = as.list_messages(thread, "?order=desc&limit=1").json()["data"];
  return messages.empty() ? "" : messages[0]["content"][0]["text"]["value"].get<std::string>();
}

ServerProcess::Options runner_options(std::map<std::string, std::string> environment) {
  environment.emplace("NEARHUB_ACCESS_LOG", "false");
  environment.emplace("NEARHUB_RUNS_POLL_INTERVAL_MS", "100");
  environment.emplace("NEARHUB_RUNS_DEADLINE_GRACE_MS", "0");
  return {.environment = std::move(environment)};
}

class HttpRunner : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    runner_ = std::make_unique<testing::FakeAgentRunnerServer>();
    server_ = std::make_unique<ServerProcess>(runner_options(
        {{"NEARHUB_RUNS_RUNNER", "http"},
         {"NEARHUB_RUNS_RUNNER_URL", runner_->url() + "/2015-03-31/functions/function/invocations"},
         {"NEARHUB_RUNS_TIMEOUT_S", "2"}}));
  }
  static void TearDownTestSuite() {
    server_.reset();
    runner_.reset();
  }

 protected:
  ThreadsApi alice() const { return ThreadsApi(Client(server_->base_url()), alice_); }
  std::string agent(const std::string& mode) {
    return publish_agent(server_->base_url(), alice_, "agent-" + mode, mode);
  }
  // A run of the agent in `mode` on a new thread with one user message; returns {thread, run}.
  std::pair<std::string, std::string> start(const std::string& mode) {
    const std::string id = agent(mode);
    const ThreadsApi api = alice();
    const std::string thread = api.new_thread();
    api.new_message(thread, "hello runner");
    const Reply created = api.create_run(thread, {{"assistant_id", id}});
    EXPECT_EQ(created.status, 200) << created.body;
    return {thread, created.json()["id"]};
  }

  const auth::NearCredentials alice_ = auth::generate_implicit_credentials();
  static inline std::unique_ptr<testing::FakeAgentRunnerServer> runner_;
  static inline std::unique_ptr<ServerProcess> server_;
};

TEST_F(HttpRunner, TheRunnerCallsBackAndCompletesTheRun) {
  const auto [thread, run_id] = start("echo");
  const json run = final_run(alice(), thread, run_id);
  EXPECT_EQ(run["status"], "completed") << run.dump();
  EXPECT_TRUE(run["last_error"].is_null());
  EXPECT_EQ(last_text(alice(), thread), "echo: hello runner");
}

TEST_F(HttpRunner, ARunnerErrorFailsTheRunWithLastError) {
  const auto [thread, run_id] = start("fail");
  const json run = final_run(alice(), thread, run_id);
  EXPECT_EQ(run["status"], "failed");
  EXPECT_NE(run["last_error"]["message"].get<std::string>().find("HTTP 500"), std::string::npos)
      << run.dump();
}

TEST_F(HttpRunner, ARunnerPastTheDeadlineExpiresTheRun) {
  const auto started = std::chrono::steady_clock::now();
  const auto [thread, run_id] = start("hang");
  const json run = final_run(alice(), thread, run_id);
  EXPECT_EQ(run["status"], "expired") << run.dump();
  EXPECT_FALSE(run["last_error"].is_null());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(6));
}

TEST_F(HttpRunner, AnAgentThatReturnsWithoutFinishingFailsTheRun) {
  const auto [thread, run_id] = start("silent");
  const json run = final_run(alice(), thread, run_id);
  EXPECT_EQ(run["status"], "failed");
  EXPECT_EQ(run["last_error"]["message"], "The agent returned without completing the run");
}

TEST_F(HttpRunner, TheAgentEndpointPassesTheEnvironmentAndWaits) {
  const std::string id = agent("env");
  const Reply reply = Client(server_->base_url())
                          .post("/v1/threads/runs",
                                json{{"agent_id", id},
                                     {"new_message", "what is my environment"},
                                     {"user_env_vars", {{"FROM_USER", "1"}}}}
                                    .dump(),
                                bearer(sign_token(alice_)));
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::string thread = reply.json().get<std::string>();
  const json environment = json::parse(last_text(alice(), thread));
  EXPECT_EQ(environment["FAKE_RUNNER_MODE"], "env");
  EXPECT_EQ(environment["FROM_METADATA"], "yes");
  EXPECT_EQ(environment["FROM_USER"], "1");
}

TEST(SubprocessRunner, ThePayloadGoesToTheCommandsStdin) {
  ServerProcess server(
      runner_options({{"NEARHUB_RUNS_RUNNER", "subprocess"},
                      {"NEARHUB_RUNS_RUNNER_COMMAND", std::string(FAKE_AGENT_RUNNER) + ",--stdin"},
                      {"NEARHUB_RUNS_TIMEOUT_S", "2"}}));
  const auth::NearCredentials alice = auth::generate_implicit_credentials();
  const ThreadsApi api(Client(server.base_url()), alice);
  for (const std::string mode : {"echo", "hang", "fail"}) {
    const std::string id = publish_agent(server.base_url(), alice, "sub-" + mode, mode);
    const std::string thread = api.new_thread();
    api.new_message(thread, "through stdin");
    const std::string run_id = api.create_run(thread, {{"assistant_id", id}}).json()["id"];
    const json run = final_run(api, thread, run_id);
    if (mode == "echo") {
      EXPECT_EQ(run["status"], "completed") << run.dump();
      EXPECT_EQ(last_text(api, thread), "echo: through stdin");
    } else if (mode == "hang") {
      EXPECT_EQ(run["status"], "expired") << run.dump();
    } else {
      EXPECT_EQ(run["status"], "failed") << run.dump();
      EXPECT_NE(run["last_error"]["message"].get<std::string>().find("exited with status 1"),
                std::string::npos)
          << run.dump();
    }
  }
}

// A process dies with a run in progress and another queued: after the restart the queued run
// is executed and the one that was running expires at its deadline.
TEST(RunRestart, RunsSurviveACrashAndStillEnd) {
  testing::FakeAgentRunnerServer runner;
  const std::map<std::string, std::string> settings = {{"NEARHUB_RUNS_RUNNER", "http"},
                                                       {"NEARHUB_RUNS_RUNNER_URL", runner.url()},
                                                       {"NEARHUB_RUNS_TIMEOUT_S", "3"}};
  ServerProcess first(runner_options(settings));
  const auth::NearCredentials alice = auth::generate_implicit_credentials();
  const std::string hanging = publish_agent(first.base_url(), alice, "hangs", "hang");
  const std::string echoing = publish_agent(first.base_url(), alice, "echoes", "echo");
  const ThreadsApi before(Client(first.base_url()), alice);
  const std::string thread = before.new_thread();
  before.new_message(thread, "after the crash");
  const std::string running = before.create_run(thread, {{"assistant_id", hanging}}).json()["id"];
  ASSERT_TRUE(eventually(
      [&] { return before.get_run(thread, running).json()["status"] == "in_progress"; }));
  const std::string later =
      before
          .create_run(thread,
                      {{"assistant_id", echoing},
                       {"schedule_at", util::format_iso8601(util::now_unix_us() + 2'000'000)}})
          .json()["id"];
  first.stop(SIGKILL);

  auto options = runner_options(settings);
  options.environment["NEARHUB_DATABASE"] = first.database_url();
  options.data_dir = first.data_dir();
  ServerProcess second(options);
  const ThreadsApi after(Client(second.base_url()), alice);
  const json expired = final_run(after, thread, running, std::chrono::seconds(10));
  EXPECT_EQ(expired["status"], "expired") << expired.dump();
  EXPECT_EQ(expired["last_error"]["message"], "The run did not finish before its deadline");
  const json completed = final_run(after, thread, later, std::chrono::seconds(10));
  EXPECT_EQ(completed["status"], "completed") << completed.dump();
}

}  // namespace
}  // namespace nearhub::e2e
