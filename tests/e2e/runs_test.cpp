// Runs (spec/assistants.md §2.11-2.14, §3, §4, §5.1): creation, streaming with its exact wire
// format, the agent's status reports, prompt agents answering through a provider, runs that
// cannot execute ending with last_error, and another account changing nothing.

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <thread>

#include "auth/credentials.h"
#include "e2e/support/inference_support.h"
#include "e2e/support/registry_api.h"
#include "e2e/support/threads_api.h"
#include "e2e/support/tokens.h"
#include "fake_openai/fake_openai_server.h"
#include "util/time.h"

namespace nearhub::e2e {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// The events of a run stream: {"event", "data"} objects, in order.
std::vector<json> run_events(const StreamReply& reply) {
  std::vector<json> events;
  for (const std::string& data : reply.events) events.push_back(json::parse(data));
  return events;
}

std::vector<std::string> event_names(const std::vector<json>& events) {
  std::vector<std::string> names;
  for (const json& event : events) names.push_back(event.at("event").get<std::string>());
  return names;
}

class Runs : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    fake_ = std::make_unique<testing::FakeOpenAiServer>();
    server_ = std::make_unique<ServerProcess>(
        inference_server_options("[providers.local]\nbase_url = \"" + fake_->base_url() + "\"\n",
                                 {{"NEARHUB_RUNS_POLL_INTERVAL_MS", "100"}}));
  }
  static void TearDownTestSuite() {
    server_.reset();
    fake_.reset();
  }

 protected:
  ThreadsApi api(const auth::NearCredentials& who) const {
    return ThreadsApi(Client(server_->base_url()), who);
  }
  RegistryApi registry() const { return RegistryApi(server_->base_url()); }

  // Publishes a prompt agent in `who`'s namespace; returns its id "ns/name/1.0.0".
  std::string publish_prompt_agent(const auth::NearCredentials& who, const std::string& name,
                                   const std::string& instructions) {
    return e2e::publish_prompt_agent(registry(), sign_token(who), who.account_id, name,
                                     instructions);
  }

  StreamReply stream_run(const ThreadsApi& as, const std::string& thread_id,
                         const ordered_json& body) {
    return post_stream(server_->base_url() + "/v1/threads/" + thread_id + "/runs", body.dump(),
                       bearer(as.token()));
  }
  StreamReply subscribe(const ThreadsApi& as, const std::string& thread_id,
                        const std::string& run_id) {
    return stream_request("GET",
                          server_->base_url() + "/v1/threads/" + thread_id + "/stream/" + run_id,
                          "", bearer(as.token()));
  }
  // A run's status once it is no longer queued or in progress.
  json final_run(const ThreadsApi& as, const std::string& thread_id, const std::string& run_id) {
    json run;
    eventually(
        [&] {
          run = as.get_run(thread_id, run_id).json();
          return run["status"] != "queued" && run["status"] != "in_progress";
        },
        std::chrono::seconds(20));
    return run;
  }

  const auth::NearCredentials alice_ = auth::generate_implicit_credentials();
  const auth::NearCredentials bob_ = auth::generate_implicit_credentials();
  static inline std::unique_ptr<testing::FakeOpenAiServer> fake_;
  static inline std::unique_ptr<ServerProcess> server_;
};

TEST_F(Runs, ADelegatedStreamedRunCarriesTheAgentsDeltasAndClosesOnCompletion) {
  const ThreadsApi alice = api(alice_);
  const std::string thread = alice.new_thread();
  alice.new_message(thread, "hello there");

  // The CLI's local run: stream, delegate; the agent is not in the registry.
  std::promise<std::string> run_id;
  auto stream = std::async(std::launch::async, [&] {
    std::once_flag once;
    return post_stream(
        server_->base_url() + "/v1/threads/" + thread + "/runs",
        ordered_json{
            {"assistant_id", "local/agent/1"}, {"stream", true}, {"delegate_execution", true}}
            .dump(),
        bearer(alice.token()), [&](const std::string& data) {
          std::call_once(
              once, [&] { run_id.set_value(json::parse(data)["data"]["id"].get<std::string>()); });
          return true;
        });
  });
  const std::string id = run_id.get_future().get();

  // The agent streams a completion for the run, then marks it done.
  const StreamReply completion = post_stream(
      server_->base_url() + "/v1/chat/completions",
      json{{"model", "local::test-model"},
           {"stream", true},
           {"messages", {{{"role", "user"}, {"content", "one two three"}}}}}
          .dump(),
      {{"Authorization", "Bearer " + alice.token()}, {"run_id", id}, {"thread_id", thread}});
  ASSERT_EQ(completion.status, 200);
  const Reply done = alice.update_run(
      thread, id, {{"status", "completed"}, {"completed_at", "2026-01-02T03:04:05"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json()["status"], "completed");
  EXPECT_EQ(done.json()["completed_at"], 1767323045);

  ASSERT_EQ(stream.wait_for(std::chrono::seconds(10)), std::future_status::ready)
      << "the stream did not close after thread.run.completed";
  const StreamReply reply = stream.get();
  ASSERT_EQ(reply.status, 200);
  const std::vector<json> events = run_events(reply);
  const std::vector<std::string> names = event_names(events);
  ASSERT_GE(names.size(), 8u);
  EXPECT_EQ(
      std::vector<std::string>(names.begin(), names.begin() + 5),
      (std::vector<std::string>{"thread.run.created", "thread.run.queued", "thread.run.in_progress",
                                "thread.run.step.created", "thread.run.step.in_progress"}));
  EXPECT_TRUE(events[4]["data"].is_object());  // [BUG] fixed: not an array
  EXPECT_EQ(events[4]["data"]["id"], "step_001");
  EXPECT_EQ(events[2]["data"]["status"], "in_progress");
  // Wire format: data-only frames, no event: line, no [DONE].
  EXPECT_EQ(reply.body.find("event:"), std::string::npos);
  EXPECT_EQ(reply.body.find("[DONE]"), std::string::npos);
  EXPECT_EQ(reply.body.rfind("data: {\"event\": \"thread.run.created\", \"data\": ", 0), 0u);

  std::string text;
  for (std::size_t i = 5; i + 2 < events.size(); ++i) {
    ASSERT_EQ(names[i], "thread.message.delta");
    EXPECT_EQ(events[i]["data"]["object"], "thread.message.delta");
    text += events[i]["data"]["delta"]["content"][0]["text"]["value"].get<std::string>();
  }
  EXPECT_EQ(text, "echo: one two three");
  EXPECT_EQ(names[names.size() - 2], "thread.message.completed");
  EXPECT_EQ(names.back(), "thread.run.completed");  // after every delta, then the end
  EXPECT_EQ(events.back()["data"]["id"], id);       // [REC] the Run object itself
  EXPECT_EQ(events.back()["data"]["status"], "completed");

  // A late subscriber replays the whole log and is closed by the same terminal event.
  const StreamReply replay = subscribe(alice, thread, id);
  ASSERT_EQ(replay.status, 200);
  const std::vector<std::string> replayed = event_names(run_events(replay));
  EXPECT_EQ(replayed, std::vector<std::string>(names.begin() + 5, names.end()));
}

TEST_F(Runs, APromptAgentAnswersThroughTheProviderAndCompletesTheRun) {
  const std::string agent = publish_prompt_agent(alice_, "helper", "You are terse.");
  const ThreadsApi alice = api(alice_);
  const std::string thread = alice.new_thread();
  alice.new_message(thread, "what is up");

  const StreamReply reply = stream_run(alice, thread, {{"assistant_id", agent}, {"stream", true}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::vector<json> events = run_events(reply);
  const std::vector<std::string> names = event_names(events);
  ASSERT_GE(names.size(), 7u) << reply.body;
  EXPECT_EQ(names.back(), "thread.run.completed") << reply.body;
  std::string text;
  for (const json& event : events) {
    if (event["event"] == "thread.message.delta") {
      text += event["data"]["delta"]["content"][0]["text"]["value"].get<std::string>();
    }
  }
  EXPECT_EQ(text, "echo: what is up");

  const std::string run_id = events.front()["data"]["id"];
  const json run = alice.get_run(thread, run_id).json();
  EXPECT_EQ(run["status"], "completed");
  EXPECT_EQ(run["assistant_id"], agent);
  EXPECT_TRUE(run["started_at"].is_number());
  const json messages = alice.list_messages(thread, "?order=asc").json()["data"];
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1]["role"], "assistant");
  EXPECT_EQ(messages[1]["run_id"], run_id);
  EXPECT_EQ(messages[1]["assistant_id"], agent);
  EXPECT_EQ(messages[1]["content"][0]["text"]["value"], "echo: what is up");
  // The provider got the instructions first, then the thread.
  const auto received = fake_->received();
  const json sent = json::parse(received.back().body);
  EXPECT_EQ(sent["messages"][0], json({{"role", "system"}, {"content", "You are terse."}}));
  EXPECT_EQ(sent["messages"][1], json({{"role", "user"}, {"content", "what is up"}}));
  // The thread remembers which agents ran on it.
  EXPECT_EQ(alice.get_thread(thread).json()["metadata"]["agent_ids"], agent);
}

TEST_F(Runs, APromptAgentWhoseProviderRefusesEndsTheRunFailedWithTheReason) {
  const std::string agent = publish_prompt_agent(alice_, "unlucky", "Be brief.");
  const ThreadsApi alice = api(alice_);
  const std::string thread = alice.new_thread();
  alice.new_message(thread, "a question too long for the model");
  fake_->fail_next("/v1/chat/completions", 400, R"({"error":{"message":"context too long"}})");
  const Reply created = alice.create_run(thread, {{"assistant_id", agent}});
  ASSERT_EQ(created.status, 200) << created.body;
  const json run = final_run(alice, thread, created.json()["id"]);
  EXPECT_EQ(run["status"], "failed");
  EXPECT_EQ(run["last_error"]["code"], "server_error");
  EXPECT_NE(run["last_error"]["message"].get<std::string>().find("context too long"),
            std::string::npos)
      << run.dump();
  // No assistant message was stored.
  EXPECT_EQ(alice.list_messages(thread, "?order=asc").json()["data"].size(), 1u);
}

TEST_F(Runs, ClientsOfTheAssistantsApiGetOpenAIsStreamFormat) {
  const std::string agent = publish_prompt_agent(alice_, "openai-format", "Short answers.");
  const ThreadsApi alice = api(alice_);
  const std::string thread = alice.new_thread();
  alice.new_message(thread, "name the format");
  HeaderList headers = bearer(alice.token());
  headers.emplace_back("OpenAI-Beta", "assistants=v2");
  const StreamReply reply =
      post_stream(server_->base_url() + "/v1/threads/" + thread + "/runs",
                  ordered_json{{"assistant_id", agent}, {"stream", true}}.dump(), headers);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body.rfind("event: thread.run.created\ndata: {\"id\":\"run_", 0), 0u)
      << reply.body;
  // Each data line is the event's object itself; a message lifecycle wraps the deltas.
  std::vector<json> data;
  for (const std::string& text : reply.events) data.push_back(json::parse(text));
  std::vector<std::string> objects;
  for (const json& item : data) objects.push_back(item.value("object", ""));
  ASSERT_GE(objects.size(), 9u);
  EXPECT_EQ(objects[5], "thread.message");  // thread.message.created
  EXPECT_EQ(data[5]["status"], "in_progress");
  const std::string message_id = data[5]["id"];
  std::string text;
  for (std::size_t i = 6; i + 2 < data.size(); ++i) {
    ASSERT_EQ(objects[i], "thread.message.delta");
    EXPECT_EQ(data[i]["id"], message_id);
    text += data[i]["delta"]["content"][0]["text"]["value"].get<std::string>();
  }
  EXPECT_EQ(text, "echo: name the format");
  const json& completed = data[data.size() - 2];
  EXPECT_EQ(completed["id"], message_id);
  EXPECT_EQ(completed["status"], "completed");
  EXPECT_EQ(completed["content"][0]["text"]["value"], "echo: name the format");
  EXPECT_EQ(data.back()["object"], "thread.run");
  EXPECT_EQ(data.back()["status"], "completed");
  EXPECT_NE(reply.body.find("event: thread.run.completed\n"), std::string::npos);
}

TEST_F(Runs, AQueuedRunExecutesWithoutAStreamAndTheAgentEndpointWaitsForIt) {
  const std::string agent = publish_prompt_agent(alice_, "quiet", "Be brief.");
  const ThreadsApi alice = api(alice_);
  const std::string thread = alice.new_thread();
  const Reply created =
      alice.create_run(thread, {{"assistant_id", agent},
                                {"additional_messages", {{{"role", "user"}, {"content", "ping"}}}},
                                {"metadata", {{"k", "v"}}},
                                {"temperature", 0.5}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.json()["status"], "queued");
  EXPECT_EQ(created.json()["metadata"], json({{"k", "v"}}));  // [BUG] fixed: kept
  EXPECT_EQ(created.json()["temperature"], 0.5);
  const json run = final_run(alice, thread, created.json()["id"]);
  EXPECT_EQ(run["status"], "completed") << run.dump();

  // A1: synchronous; answers the thread id; the run then waits for the user [QUIRK].
  const Reply a1 = Client(server_->base_url())
                       .post("/v1/agent/runs",
                             json{{"agent_id", agent}, {"new_message", "are you there"}}.dump(),
                             bearer(alice.token()));
  ASSERT_EQ(a1.status, 200) << a1.body;
  const std::string a1_thread = a1.json().get<std::string>();
  const json a1_messages = alice.list_messages(a1_thread, "?order=asc").json()["data"];
  ASSERT_EQ(a1_messages.size(), 2u);
  EXPECT_EQ(a1_messages[1]["content"][0]["text"]["value"], "echo: are you there");
  const std::string a1_run = a1_messages[1]["run_id"];
  EXPECT_EQ(alice.get_run(a1_thread, a1_run).json()["status"], "requires_action");
}

TEST_F(Runs, ManyRunsQueuedAtOnceAllExecute) {
  // More runs than workers (4): they wait in the queue, none is dropped.
  const std::string agent = publish_prompt_agent(alice_, "busy", "Answer.");
  const ThreadsApi alice = api(alice_);
  std::vector<std::pair<std::string, std::string>> runs;
  for (int i = 0; i < 24; ++i) {
    const std::string thread = alice.new_thread();
    alice.new_message(thread, "question " + std::to_string(i));
    const Reply created = alice.create_run(thread, {{"assistant_id", agent}});
    ASSERT_EQ(created.status, 200) << created.body;
    runs.emplace_back(thread, created.json()["id"]);
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const json run = final_run(alice, runs[i].first, runs[i].second);
    EXPECT_EQ(run["status"], "completed") << run.dump();
    const json last = alice.list_messages(runs[i].first, "?limit=1").json()["data"][0];
    EXPECT_EQ(last["content"][0]["text"]["value"], "echo: question " + std::to_string(i));
  }
}

TEST_F(Runs, AScheduledRunStartsAtItsTimeAsTheAccountThatScheduledIt) {
  const std::string agent = publish_prompt_agent(alice_, "later", "Answer later.");
  const ThreadsApi alice = api(alice_);
  const std::string thread = alice.new_thread();
  const std::string run_at = util::format_iso8601(util::now_unix_us() + 1'000'000);
  const Client client(server_->base_url());
  for (const json& thread_id : {json(thread), json(nullptr)}) {
    const Reply scheduled = client.post("/v1/schedule_run",
                                        json{{"agent", agent},
                                             {"input_message", "wake up"},
                                             {"run_params", json::object()},
                                             {"thread_id", thread_id},
                                             {"run_at", run_at}}
                                            .dump(),
                                        bearer(alice.token()));
    ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  }
  // On the given thread: the input message, then the agent's answer.
  ASSERT_TRUE(eventually([&] { return alice.list_messages(thread).json()["data"].size() == 2; },
                         std::chrono::seconds(10)));
  const json messages = alice.list_messages(thread, "?order=asc").json()["data"];
  EXPECT_EQ(messages[0]["content"][0]["text"]["value"], "wake up");
  EXPECT_EQ(messages[1]["content"][0]["text"]["value"], "echo: wake up");
  // Without a thread: a new one, owned by the account that scheduled the run.
  json threads;
  ASSERT_TRUE(eventually(
      [&] {
        threads = alice.list_threads().json();
        return threads.size() == 2;
      },
      std::chrono::seconds(10)));
  const json created = threads[0]["id"] == thread ? threads[1] : threads[0];
  EXPECT_EQ(created["metadata"]["agent_ids"], agent);
  EXPECT_EQ(created["metadata"]["owner_id"], alice_.account_id);
}

TEST_F(Runs, AScheduledRunWhoseAgentIsGoneLeavesNoThreadBehind) {
  const ThreadsApi alice = api(alice_);
  const Reply scheduled =
      Client(server_->base_url())
          .post("/v1/schedule_run",
                json{{"agent", alice_.account_id + "/never-published/1.0.0"},
                     {"input_message", "hello?"},
                     {"run_params", json::object()},
                     {"thread_id", nullptr},
                     {"run_at", util::format_iso8601(util::now_unix_us() + 500'000)}}
                    .dump(),
                bearer(alice.token()));
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  // Fired after half a second (the suite polls every 100 ms); its run could not be created.
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  EXPECT_EQ(alice.list_threads().json(), json::array());
}

TEST_F(Runs, RunsThatCannotExecuteEndWithLastError) {
  const ThreadsApi alice = api(alice_);
  const std::string thread = alice.new_thread();
  // No runner is configured for other frameworks.
  const Location at{alice_.account_id, "python-agent", "1.0.0"};
  ASSERT_EQ(registry().upload_metadata(sign_token(alice_), at, entry_metadata("agent")).status,
            200);
  const Reply created =
      alice.create_run(thread, {{"assistant_id", alice_.account_id + "/python-agent/1.0.0"}});
  ASSERT_EQ(created.status, 200) << created.body;
  const json run = final_run(alice, thread, created.json()["id"]);
  EXPECT_EQ(run["status"], "failed");
  EXPECT_EQ(run["last_error"]["code"], "server_error");
  EXPECT_NE(run["last_error"]["message"].get<std::string>().find("runs.runner"), std::string::npos);
  EXPECT_TRUE(run["failed_at"].is_number());

  // A stream of a run that fails closes with thread.run.failed.
  const StreamReply stream =
      stream_run(alice, thread,
                 {{"assistant_id", alice_.account_id + "/python-agent/1.0.0"}, {"stream", true}});
  EXPECT_EQ(event_names(run_events(stream)).back(), "thread.run.failed");

  // [REC] An unknown agent is refused at creation, and nothing is written.
  const Reply unknown = alice.create_run(thread, {{"assistant_id", alice_.account_id + "/nope/1"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json()["detail"],
            "Entry 'namespace='" + alice_.account_id + "' name='nope' version='1'' not found");
  const Reply malformed = alice.create_run(thread, {{"assistant_id", "no-slashes"}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.json()["detail"],
            "Invalid entry format: no-slashes. Should have the format "
            "<namespace>/<name>/<version>");
  EXPECT_EQ(alice.get_thread(thread).json()["metadata"]["agent_ids"],
            alice_.account_id + "/python-agent/1.0.0");
}

TEST_F(Runs, EveryRunEndpointNeedsAToken) {
  const ThreadsApi alice = api(alice_);
  const std::string thread = alice.new_thread();
  const std::string run_id =
      alice.create_run(thread, {{"assistant_id", "x/y/1"}, {"delegate_execution", true}})
          .json()["id"];
  const Client anonymous(server_->base_url());
  const std::string body = json{{"assistant_id", "x/y/1"}, {"agent_id", "x/y/1"}}.dump();
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/v1/threads/" + thread + "/runs"},
           {"GET", "/v1/threads/" + thread + "/runs/" + run_id},
           {"POST", "/v1/threads/" + thread + "/runs/" + run_id},
           {"GET", "/v1/threads/" + thread + "/stream/" + run_id},
           {"POST", "/v1/threads/runs"},
           {"POST", "/v1/agent/runs"}}) {
    const Reply reply = anonymous.request(method, path, method == "POST" ? body : "", {});
    EXPECT_EQ(reply.status, 403) << method << " " << path;
    EXPECT_EQ(reply.json(), json({{"detail", "Authorization required"}})) << method << " " << path;
  }
  EXPECT_EQ(alice.get_run(thread, run_id).json()["status"], "queued");
}

TEST_F(Runs, BadInputIsRefusedAndChangesNothing) {
  const ThreadsApi alice = api(alice_);
  const std::string thread = alice.new_thread();
  const Reply created =
      alice.create_run(thread, {{"assistant_id", "x/y/1"}, {"delegate_execution", true}});
  ASSERT_EQ(created.status, 200);
  const std::string run_id = created.json()["id"];
  EXPECT_EQ(alice.create_run(thread, json::object()).status, 422);
  EXPECT_EQ(alice.create_run(thread, {{"assistant_id", "x/y/1"}, {"metadata", {{"n", 1}}}}).status,
            422);
  EXPECT_EQ(alice.create_run(thread, {{"assistant_id", "x/y/1"}, {"run_mode", 7}}).status, 422);
  EXPECT_EQ(alice.update_run(thread, run_id, {{"status", "in_progress"}}).status, 422);
  EXPECT_EQ(alice.update_run(thread, run_id, {{"status", "cancelled"}}).status, 422);
  EXPECT_EQ(alice.update_run(thread, run_id, {{"completed_at", "not a date"}}).status, 422);
  EXPECT_EQ(alice.get_run(thread, run_id).json()["status"], "queued");
  EXPECT_EQ(alice.get_run(thread, "run_000000000000000000000000").json(),
            json({{"detail", "Run not found"}}));
  EXPECT_EQ(alice.list_messages(thread).json()["data"].size(), 0u);
}

TEST_F(Runs, AnotherAccountCanNeitherReadUpdateNorSubscribe) {
  const ThreadsApi alice = api(alice_);
  const ThreadsApi bob = api(bob_);
  const std::string thread = alice.new_thread();
  const Reply created =
      alice.create_run(thread, {{"assistant_id", "x/y/1"}, {"delegate_execution", true}});
  const std::string run_id = created.json()["id"];
  const json forbidden = {
      {"detail", "You don't have permission to access messages from this thread"}};

  EXPECT_EQ(bob.get_run(thread, run_id).status, 403);
  EXPECT_EQ(bob.get_run(thread, run_id).json(), forbidden);
  EXPECT_EQ(bob.update_run(thread, run_id, {{"status", "completed"}}).status, 403);
  EXPECT_EQ(
      bob.create_run(thread, {{"assistant_id", "x/y/1"}, {"delegate_execution", true}}).status,
      403);
  EXPECT_EQ(subscribe(bob, thread, run_id).status, 403);

  // Through a thread of his own, alice's run is not found ([SEC] fixed).
  const std::string bobs = bob.new_thread();
  EXPECT_EQ(bob.get_run(bobs, run_id).json(), json({{"detail", "Run not found for this thread"}}));
  EXPECT_EQ(bob.update_run(bobs, run_id, {{"status", "completed"}}).json(),
            json({{"detail", "Run not found"}}));
  const StreamReply stream = subscribe(bob, bobs, run_id);
  EXPECT_EQ(stream.status, 404);
  EXPECT_EQ(json::parse(stream.body), json({{"detail", "Run for thread not found"}}));

  // Deltas sent by bob with alice's run id reach nobody.
  post_stream(server_->base_url() + "/v1/chat/completions",
              json{{"model", "local::test-model"},
                   {"stream", true},
                   {"messages", {{{"role", "user"}, {"content", "intrusion"}}}}}
                  .dump(),
              {{"Authorization", "Bearer " + bob.token()}, {"run_id", run_id}});
  ASSERT_EQ(alice.update_run(thread, run_id, {{"status", "failed"}}).status, 200);
  const std::vector<std::string> names = event_names(run_events(subscribe(alice, thread, run_id)));
  EXPECT_EQ(names, std::vector<std::string>{"thread.run.failed"});
  EXPECT_EQ(alice.get_run(thread, run_id).json()["status"], "failed");
}

// A1 and A2 on another account's thread, an unknown thread and missing or unknown agents: the
// spec's error, and nothing is written (no message, no run, no thread).
TEST_F(Runs, TheAgentEndpointRefusesOthersThreadsAndBadAgentsAndChangesNothing) {
  const ThreadsApi alice = api(alice_);
  const std::string thread = alice.new_thread();
  alice.new_message(thread, "mine");
  const std::string agent = publish_prompt_agent(alice_, "guarded", "Answer.");
  const Client client(server_->base_url());
  const auto run_agent = [&](const char* path, const auth::NearCredentials& who, json body) {
    return client.post(path, body.dump(), bearer(sign_token(who)));
  };
  for (const char* path : {"/v1/threads/runs", "/v1/agent/runs"}) {
    SCOPED_TRACE(path);
    const Reply theirs = run_agent(
        path, bob_, {{"agent_id", agent}, {"thread_id", thread}, {"new_message", "intrusion"}});
    EXPECT_EQ(theirs.status, 403);
    EXPECT_EQ(theirs.json(),
              json({{"detail", "You don't have permission to access messages from this thread"}}));
    const Reply unknown = run_agent(path, alice_,
                                    {{"agent_id", agent},
                                     {"thread_id", "thread_000000000000000000000000"},
                                     {"new_message", "nowhere"}});
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.json(), json({{"detail", "Thread not found"}}));
    const Reply no_agent = run_agent(path, alice_, {{"thread_id", thread}, {"new_message", "x"}});
    EXPECT_EQ(no_agent.status, 400);
    EXPECT_EQ(no_agent.json(),
              json({{"detail", "Missing required parameters: agent_id or assistant_id"}}));
    const Reply missing_agent = run_agent(path, alice_,
                                          {{"agent_id", alice_.account_id + "/nothing/1.0.0"},
                                           {"thread_id", thread},
                                           {"new_message", "x"}});
    EXPECT_EQ(missing_agent.status, 404) << missing_agent.body;
  }
  const json messages = alice.list_messages(thread).json()["data"];
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["content"][0]["text"]["value"], "mine");
  EXPECT_FALSE(alice.get_thread(thread).json()["metadata"].contains("agent_ids"));  // none ran
}

// Deadlines, the stream cap and heartbeats, with short settings.
ServerProcess::Options short_timeouts(const std::string& delegated_timeout_s) {
  return {.environment = {{"NEARHUB_ACCESS_LOG", "false"},
                          {"NEARHUB_RUNS_DELEGATED_TIMEOUT_S", delegated_timeout_s},
                          {"NEARHUB_RUNS_DEADLINE_GRACE_MS", "0"},
                          {"NEARHUB_RUNS_POLL_INTERVAL_MS", "100"},
                          {"NEARHUB_RUNS_STREAM_TIMEOUT_S", "2"},
                          {"NEARHUB_RUNS_STREAM_HEARTBEAT_S", "1"}}};
}

// A1 waits for its run without holding a server worker: with one worker, the prompt agent's
// own chat completion through the hub is still served, and the run completes.
TEST(AgentRunEndpoint, WaitsForItsRunWithoutHoldingTheOnlyWorker) {
  testing::FakeOpenAiServer fake;
  ServerProcess::Options options =
      inference_server_options("[providers.local]\nbase_url = \"" + fake.base_url() + "\"\n");
  options.arguments.insert(options.arguments.end(), {"--worker-threads", "1"});
  ServerProcess server(options);
  const auth::NearCredentials alice = auth::generate_implicit_credentials();
  publish_prompt_agent(RegistryApi(server.base_url()), sign_token(alice), alice.account_id, "solo",
                       "Be brief.");

  const Reply a1 = Client(server.base_url())
                       .post("/v1/agent/runs",
                             json{{"agent_id", alice.account_id + "/solo/1.0.0"},
                                  {"new_message", "only one worker"}}
                                 .dump(),
                             bearer(sign_token(alice)));
  ASSERT_EQ(a1.status, 200) << a1.body;
  const ThreadsApi api(Client(server.base_url()), alice);
  const json messages =
      api.list_messages(a1.json().get<std::string>(), "?order=asc").json()["data"];
  ASSERT_EQ(messages.size(), 2u) << messages.dump();
  EXPECT_EQ(messages[1]["content"][0]["text"]["value"], "echo: only one worker");
}

TEST(RunDeadlines, ADelegatedRunNobodyFinishesExpiresAndItsSubscribersLearnIt) {
  ServerProcess server(short_timeouts("1"));
  const ThreadsApi alice(Client(server.base_url()), auth::generate_implicit_credentials());
  const std::string thread = alice.new_thread();
  const std::string run_id =
      alice.create_run(thread, {{"assistant_id", "x/y/1"}, {"delegate_execution", true}})
          .json()["id"];
  const std::string reported =
      alice.create_run(thread, {{"assistant_id", "x/y/1"}, {"delegate_execution", true}})
          .json()["id"];
  ASSERT_EQ(alice.update_run(thread, reported, {{"status", "requires_action"}}).status, 200);

  const auto started = std::chrono::steady_clock::now();
  const StreamReply expired =
      stream_request("GET", server.base_url() + "/v1/threads/" + thread + "/stream/" + run_id, "",
                     bearer(alice.token()));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1900));
  EXPECT_EQ(event_names(run_events(expired)), std::vector<std::string>{"thread.run.expired"});
  const json run = alice.get_run(thread, run_id).json();
  EXPECT_EQ(run["status"], "expired");
  EXPECT_EQ(run["last_error"]["message"], "The run did not finish before its deadline");
  // A run whose outcome was reported is left alone.
  EXPECT_EQ(alice.get_run(thread, reported).json()["status"], "requires_action");
}

TEST(RunDeadlines, AStreamOpenPastTheCapGetsExpiredAndHeartbeatsBeforeIt) {
  ServerProcess server(short_timeouts("600"));
  const ThreadsApi alice(Client(server.base_url()), auth::generate_implicit_credentials());
  const std::string thread = alice.new_thread();
  const std::string run_id =
      alice.create_run(thread, {{"assistant_id", "x/y/1"}, {"delegate_execution", true}})
          .json()["id"];
  const auto started = std::chrono::steady_clock::now();
  const StreamReply capped =
      stream_request("GET", server.base_url() + "/v1/threads/" + thread + "/stream/" + run_id, "",
                     bearer(alice.token()));
  const auto lasted = std::chrono::steady_clock::now() - started;
  EXPECT_GE(lasted, std::chrono::milliseconds(1900));
  EXPECT_LT(lasted, std::chrono::seconds(5));
  const std::vector<json> events = run_events(capped);
  ASSERT_EQ(event_names(events), std::vector<std::string>{"thread.run.expired"});
  EXPECT_EQ(events[0]["data"]["id"], run_id);
  EXPECT_NE(capped.body.find(": keep-alive\n\n"), std::string::npos);
  // The cap ends the stream, not the run.
  EXPECT_EQ(alice.get_run(thread, run_id).json()["status"], "queued");
}

}  // namespace
}  // namespace nearhub::e2e
