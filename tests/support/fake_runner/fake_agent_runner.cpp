#include "support/fake_runner/fake_agent_runner.h"

#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/handler.h"
#include "http/server.h"
#include "util/http_client.h"
#include "util/json.h"
#include "util/time.h"

namespace nearhub::testing {
namespace {

using nlohmann::ordered_json;
using Kind = FakeRunOutcome::Kind;

// A callback to the hub failed; the run fails with this message.
struct CallbackError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The parts of the payload this runner uses.
struct Run {
  std::string agents, thread_id, run_id, api_url, auth_text, mode;
  ordered_json agent_env_vars, user_env_vars;
};

std::optional<Run> read_payload(std::string_view text, std::string& problem) {
  const ordered_json payload = ordered_json::parse(text, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    problem = "the payload is not a JSON object";
    return std::nullopt;
  }
  std::vector<std::string> missing;
  const auto string_field = [&](const ordered_json& object, const char* key) {
    const auto found = object.find(key);
    if (found == object.end() || !found->is_string() || found->get<std::string>().empty()) {
      missing.push_back(key);
      return std::string();
    }
    return found->get<std::string>();
  };
  Run run;
  run.agents = string_field(payload, "agents");
  run.thread_id = string_field(payload, "thread_id");
  run.run_id = string_field(payload, "run_id");
  if (!payload.contains("auth") || !payload["auth"].is_object()) missing.push_back("auth");
  const ordered_json params = payload.value("params", ordered_json());
  if (!params.is_object()) {
    missing.push_back("params");
  } else {
    run.api_url = string_field(params, "api_url");
  }
  if (!missing.empty()) {
    problem = "Missing required parameters: [";
    for (std::size_t i = 0; i < missing.size(); ++i) problem += (i ? ", " : "") + missing[i];
    problem += "]";
    return std::nullopt;
  }
  run.auth_text = util::dump_json(payload["auth"]);
  const ordered_json agent_vars = params.value("agent_env_vars", ordered_json::object());
  run.agent_env_vars = agent_vars.is_object() ? agent_vars.value(run.agents, ordered_json::object())
                                              : ordered_json::object();
  if (!run.agent_env_vars.is_object()) run.agent_env_vars = ordered_json::object();
  run.user_env_vars = params.value("user_env_vars", ordered_json::object());
  if (!run.user_env_vars.is_object()) run.user_env_vars = ordered_json::object();
  const ordered_json mode = run.agent_env_vars.value("FAKE_RUNNER_MODE", ordered_json("echo"));
  run.mode = mode.is_string() ? mode.get<std::string>() : "";
  if (run.mode != "echo" && run.mode != "fail" && run.mode != "hang" && run.mode != "silent" &&
      run.mode != "env") {
    problem = "unknown FAKE_RUNNER_MODE: " + util::dump_json(mode);
    return std::nullopt;
  }
  return run;
}

// One call to the hub; the answer's JSON, or CallbackError.
ordered_json call_hub(const Run& run, const std::string& method, const std::string& path,
                      const ordered_json& body = nullptr) {
  util::HttpRequest request;
  request.method = method;
  request.url = run.api_url + "/v1" + path;
  // What the official runner's OpenAI client sends: its api_key is "Bearer <auth>".
  request.headers = {{"Authorization", "Bearer Bearer " + run.auth_text}};
  if (!body.is_null()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = util::dump_json(body);
  }
  util::HttpResponse response;
  try {
    response = util::send_http_request(request);
  } catch (const util::HttpClientError& error) {
    throw CallbackError(error.what());
  }
  if (response.status < 200 || response.status > 299) {
    throw CallbackError(method + " " + request.url + " answered " +
                        std::to_string(response.status) + ": " + response.body);
  }
  const ordered_json answer = ordered_json::parse(response.body, nullptr, false);
  if (answer.is_discarded()) throw CallbackError(method + " " + request.url + ": not JSON");
  return answer;
}

// The text of a message's content: a plain string, or its text parts joined.
std::string message_text(const ordered_json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (!content.is_array()) return text;
  for (const auto& part : content) {
    if (!part.is_object() || part.value("type", "") != "text") continue;
    const ordered_json& value = part.contains("text") ? part["text"] : ordered_json();
    if (value.is_string()) {
      text += value.get<std::string>();
    } else if (value.is_object() && value.contains("value") && value["value"].is_string()) {
      text += value["value"].get<std::string>();
    }
  }
  return text;
}

std::string reply_for(const Run& run) {
  const ordered_json listed =
      call_hub(run, "GET", "/threads/" + run.thread_id + "/messages?limit=10000&order=asc");
  if (run.mode == "env") {
    ordered_json merged = run.agent_env_vars;
    for (const auto& [key, value] : run.user_env_vars.items()) merged[key] = value;
    return util::dump_json(merged);
  }
  std::string last_user_text;
  for (const auto& message : listed.value("data", ordered_json::array())) {
    if (message.is_object() && message.value("role", "") == "user") {
      last_user_text = message_text(message.value("content", ordered_json()));
    }
  }
  return "echo: " + last_user_text;
}

}  // namespace

int FakeRunOutcome::http_status() const {
  switch (kind) {
    case Kind::done:
      return 200;
    case Kind::bad_input:
      return 400;
    case Kind::failed:
      break;
  }
  return 500;
}

int FakeRunOutcome::exit_code() const {
  switch (kind) {
    case Kind::done:
      return 0;
    case Kind::bad_input:
      return 2;
    case Kind::failed:
      break;
  }
  return 1;
}

FakeRunOutcome FakeAgentRunner::run(std::string_view payload_text) {
  std::string problem;
  const std::optional<Run> run = read_payload(payload_text, problem);
  if (!run) return {Kind::bad_input, problem};

  if (run->mode == "fail") return {Kind::failed, "FAKE_RUNNER_MODE=fail"};
  if (run->mode == "hang") {
    std::unique_lock lock(mutex_);
    stopped_cv_.wait_for(lock, std::chrono::hours(1), [&] { return stopped_; });
    return {Kind::failed, "FAKE_RUNNER_MODE=hang: stopped"};
  }
  if (run->mode == "silent") return {Kind::done, run->thread_id};

  try {
    const std::string reply = reply_for(*run);
    call_hub(*run, "POST", "/threads/" + run->thread_id + "/messages",
             {{"role", "assistant"},
              {"content", reply},
              {"assistant_id", run->agents},
              {"run_id", run->run_id}});
    call_hub(
        *run, "POST", "/threads/" + run->thread_id + "/runs/" + run->run_id,
        {{"status", "completed"}, {"completed_at", util::format_iso8601(util::now_unix_us())}});
  } catch (const CallbackError& error) {
    return {Kind::failed, error.what()};
  }
  return {Kind::done, run->thread_id};
}

void FakeAgentRunner::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  stopped_cv_.notify_all();
}

struct FakeAgentRunnerServer::Impl : http::Handler {
  FakeAgentRunner runner;
  std::unique_ptr<http::Server> server;
  bool stopped = false;

  std::size_t body_limit(const http::Request&) const override { return 16 * 1024 * 1024; }
  http::Response handle(http::Request& request) override {
    if (request.method != "POST") {
      return http::Response::json_text(405, R"({"detail":"Method Not Allowed"})");
    }
    const FakeRunOutcome outcome = runner.run(request.body);
    // The official runner answers its return value, a JSON string.
    return http::Response::json_text(outcome.http_status(),
                                     util::dump_json(nlohmann::json(outcome.message)));
  }
};

FakeAgentRunnerServer::FakeAgentRunnerServer(unsigned short port) : impl_(new Impl) {
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.access_log = false;
  options.worker_threads = 8;  // runs block for their whole length
  impl_->server = std::make_unique<http::Server>(options, *impl_);
  impl_->server->start();
}

FakeAgentRunnerServer::~FakeAgentRunnerServer() { stop(); }

std::string FakeAgentRunnerServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

unsigned short FakeAgentRunnerServer::port() const { return impl_->server->port(); }

void FakeAgentRunnerServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->runner.stop();
  impl_->server->stop();
  impl_->server->wait();
}

}  // namespace nearhub::testing
