// The fake agent runner (tests/support/fake_runner) against a local stand-in for the hub: the
// callbacks it makes, its modes, bad input, and both protocols end to end through HttpRunner
// (FakeAgentRunnerServer) and SubprocessRunner (the fake_agent_runner executable, --stdin).
// The real hub's runs endpoints are exercised by the e2e tests.

#include "support/fake_runner/fake_agent_runner.h"

#include <future>

#include <gtest/gtest.h>

#include "agents/agent_environment.h"
#include "agents/http_runner.h"
#include "agents/runner_payload.h"
#include "agents/subprocess_runner.h"
#include "unit/agents/local_http_server.h"
#include "util/json.h"
#include "util/time.h"

namespace nearhub::agents {
namespace {

using namespace std::chrono_literals;
using nearhub::testing::FakeAgentRunner;
using nearhub::testing::FakeAgentRunnerServer;
using nearhub::testing::FakeRunOutcome;
using nlohmann::ordered_json;
using testing::LocalHttpServer;

constexpr const char* kAgent = "alice.near/echo/1.0.0";

// The hub's side of a run: a thread with two user messages; message and run updates succeed.
class FakeHub {
 public:
  FakeHub()
      : server_([](const http::Request& request) {
          if (request.method == "GET") {
            return http::Response::json_text(200, R"({"object":"list","data":[
              {"id":"msg_1","role":"user","content":[{"type":"text","text":{"value":"first","annotations":[]}}]},
              {"id":"msg_2","role":"user","content":[{"type":"text","text":{"value":"hello ","annotations":[]}},
                                                      {"type":"text","text":{"value":"there","annotations":[]}}]},
              {"id":"msg_3","role":"assistant","content":[{"type":"text","text":{"value":"no","annotations":[]}}]}],
              "first_id":"msg_1","last_id":"msg_3","has_more":false})");
          }
          return http::Response::json_text(200, R"({"id":"x"})");
        }) {}
  std::string url() const { return server_.url(); }
  std::vector<LocalHttpServer::Received> received() const { return server_.received(); }

 private:
  LocalHttpServer server_;
};

ordered_json auth() {
  return ordered_json::parse(
      R"({"account_id":"alice.near","public_key":"ed25519:abc","signature":"sig",)"
      R"("nonce":"1730000000000","message":"Welcome","recipient":"ai.near"})");
}

ordered_json payload(const std::string& api_url, const std::string& mode = "") {
  nlohmann::json details = {{"env_vars", {{"GREETING", "hi"}, {"SHARED", "agent"}}}};
  if (!mode.empty()) details["env_vars"]["FAKE_RUNNER_MODE"] = mode;
  const AgentEnvironment environment =
      agent_environment(kAgent, details, ordered_json::parse(R"({"SHARED":"user","TOKEN":"t"})"));
  return runner_payload({.agents = kAgent,
                         .thread_id = "thread_1",
                         .run_id = "run_1",
                         .auth = auth(),
                         .api_url = api_url,
                         .model = "",
                         .temperature = ordered_json(nullptr),
                         .user_env_vars = environment.user_env_vars,
                         .agent_env_vars = environment.agent_env_vars});
}

RunnerInvocation invocation(const ordered_json& payload) {
  return {.run_id = "run_1",
          .thread_id = "thread_1",
          .agent = kAgent,
          .account_id = "alice.near",
          .payload = payload,
          .deadline = std::chrono::steady_clock::now() + 60s};
}

void expect_echo_callbacks(const FakeHub& hub, const std::string& reply) {
  const auto calls = hub.received();
  ASSERT_EQ(calls.size(), 3u);
  const std::string authorization = "Bearer Bearer " + util::dump_json(auth());
  for (const auto& call : calls) EXPECT_EQ(call.authorization, authorization);

  EXPECT_EQ(calls[0].method, "GET");
  EXPECT_EQ(calls[0].target, "/v1/threads/thread_1/messages?limit=10000&order=asc");

  EXPECT_EQ(calls[1].method, "POST");
  EXPECT_EQ(calls[1].target, "/v1/threads/thread_1/messages");
  EXPECT_EQ(calls[1].content_type, "application/json");
  EXPECT_EQ(calls[1].body, ordered_json({{"role", "assistant"},
                                         {"content", reply},
                                         {"assistant_id", kAgent},
                                         {"run_id", "run_1"}})
                               .dump());

  EXPECT_EQ(calls[2].method, "POST");
  EXPECT_EQ(calls[2].target, "/v1/threads/thread_1/runs/run_1");
  const auto status = nlohmann::json::parse(calls[2].body);
  EXPECT_EQ(status["status"], "completed");
  const auto completed_at = util::parse_datetime(status["completed_at"].get<std::string>());
  ASSERT_TRUE(completed_at.has_value()) << calls[2].body;
  EXPECT_LT(std::abs(*completed_at - util::now_unix_us()), 60'000'000);
  EXPECT_EQ(status["completed_at"].get<std::string>().find('+'), std::string::npos);
}

TEST(FakeAgentRunner, EchoesTheLastUserMessageAndMarksTheRunDone) {
  FakeHub hub;
  FakeAgentRunner runner;
  const FakeRunOutcome outcome = runner.run(payload(hub.url()).dump());
  EXPECT_EQ(outcome.kind, FakeRunOutcome::Kind::done) << outcome.message;
  EXPECT_EQ(outcome.message, "thread_1");
  expect_echo_callbacks(hub, "echo: hello there");
}

TEST(FakeAgentRunner, EnvModeRepliesWithTheMergedEnvironment) {
  FakeHub hub;
  FakeAgentRunner runner;
  const FakeRunOutcome outcome = runner.run(payload(hub.url(), "env").dump());
  ASSERT_EQ(outcome.kind, FakeRunOutcome::Kind::done) << outcome.message;
  // The agent's vars (sorted, as details are stored), then the user's over them.
  expect_echo_callbacks(
      hub, R"({"FAKE_RUNNER_MODE":"env","GREETING":"hi","SHARED":"user","TOKEN":"t"})");
}

TEST(FakeAgentRunner, FailAndSilentCallNothingBack) {
  FakeHub hub;
  FakeAgentRunner runner;
  const FakeRunOutcome failed = runner.run(payload(hub.url(), "fail").dump());
  EXPECT_EQ(failed.kind, FakeRunOutcome::Kind::failed);
  EXPECT_EQ(failed.http_status(), 500);
  EXPECT_EQ(failed.exit_code(), 1);
  const FakeRunOutcome silent = runner.run(payload(hub.url(), "silent").dump());
  EXPECT_EQ(silent.kind, FakeRunOutcome::Kind::done);
  EXPECT_TRUE(hub.received().empty());
}

TEST(FakeAgentRunner, HangLastsUntilStopped) {
  FakeAgentRunner runner;
  auto hanging = std::async(
      std::launch::async, [&] { return runner.run(payload("http://127.0.0.1:1", "hang").dump()); });
  EXPECT_EQ(hanging.wait_for(300ms), std::future_status::timeout);
  runner.stop();
  ASSERT_EQ(hanging.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(hanging.get().kind, FakeRunOutcome::Kind::failed);
}

TEST(FakeAgentRunner, ReportsBadInput) {
  FakeAgentRunner runner;
  const auto bad = [&](const std::string& text) {
    const FakeRunOutcome outcome = runner.run(text);
    EXPECT_EQ(outcome.kind, FakeRunOutcome::Kind::bad_input) << text;
    EXPECT_EQ(outcome.http_status(), 400);
    EXPECT_EQ(outcome.exit_code(), 2);
    return outcome.message;
  };
  EXPECT_EQ(bad("not json"), "the payload is not a JSON object");
  EXPECT_EQ(bad("[1]"), "the payload is not a JSON object");
  EXPECT_EQ(bad(R"({"thread_id":"t","run_id":"r","params":{"api_url":"http://x"}})"),
            "Missing required parameters: [agents, auth]");
  EXPECT_EQ(bad(R"({"agents":"a/b/1","thread_id":"t","run_id":"r","auth":{}})"),
            "Missing required parameters: [params]");
  EXPECT_EQ(bad(R"({"agents":"a/b/1","thread_id":"t","run_id":"r","auth":{},"params":{}})"),
            "Missing required parameters: [api_url]");
  EXPECT_EQ(bad(payload("http://x", "dance").dump()), R"(unknown FAKE_RUNNER_MODE: "dance")");
}

TEST(FakeAgentRunner, AFailedCallbackFailsTheRun) {
  LocalHttpServer hub([](const http::Request&) {
    return http::Response::json_text(404, R"({"detail":"Thread not found"})");
  });
  FakeAgentRunner runner;
  const FakeRunOutcome outcome = runner.run(payload(hub.url()).dump());
  EXPECT_EQ(outcome.kind, FakeRunOutcome::Kind::failed);
  EXPECT_EQ(outcome.message, "GET " + hub.url() +
                                 "/v1/threads/thread_1/messages?limit=10000&order=asc answered "
                                 "404: {\"detail\":\"Thread not found\"}");
}

TEST(FakeAgentRunner, ThroughHttpRunner) {
  FakeHub hub;
  FakeAgentRunnerServer fake(0);
  HttpRunner runner(fake.url() + "/2015-03-31/functions/function/invocations", 10s);
  const RunnerOutcome outcome = runner.run(invocation(payload(hub.url())));
  EXPECT_TRUE(outcome.ok) << outcome.error;
  expect_echo_callbacks(hub, "echo: hello there");

  EXPECT_EQ(runner.run(invocation(payload(hub.url(), "fail"))).error,
            R"(runner answered HTTP 500: "FAKE_RUNNER_MODE=fail")");
  const RunnerOutcome hung =
      HttpRunner(fake.url(), 300ms).run(invocation(payload(hub.url(), "hang")));
  EXPECT_TRUE(hung.timed_out);
}

TEST(FakeAgentRunner, ThroughSubprocessRunner) {
  FakeHub hub;
  SubprocessRunner runner({FAKE_AGENT_RUNNER, "--stdin"}, 10s);
  const RunnerOutcome outcome = runner.run(invocation(payload(hub.url())));
  EXPECT_TRUE(outcome.ok) << outcome.error;
  expect_echo_callbacks(hub, "echo: hello there");

  EXPECT_EQ(runner.run(invocation(payload(hub.url(), "fail"))).error,
            "runner exited with status 1: fake_agent_runner: FAKE_RUNNER_MODE=fail");
  EXPECT_EQ(runner.run(invocation(ordered_json::parse(R"({"agents":"a/b/1"})"))).error,
            "runner exited with status 2: fake_agent_runner: Missing required parameters: "
            "[thread_id, run_id, auth, params]");
  const auto start = std::chrono::steady_clock::now();
  const RunnerOutcome hung = SubprocessRunner({FAKE_AGENT_RUNNER, "--stdin"}, 300ms)
                                 .run(invocation(payload(hub.url(), "hang")));
  EXPECT_TRUE(hung.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
}

}  // namespace
}  // namespace nearhub::agents
