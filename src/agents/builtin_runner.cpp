#include "agents/builtin_runner.h"

#include "api/error.h"
#include "inference/sse_parser.h"
#include "registry/agent_id.h"
#include "util/http_stream.h"
#include "util/json.h"
#include "util/time.h"

namespace nearhub::agents {

using nlohmann::ordered_json;

namespace {

constexpr std::size_t kMaxErrorBytes = 300;

// details.agent.<key> when it is an object member, else null.
ordered_json agent_setting(const ordered_json& details, const char* key) {
  if (!details.contains("agent") || !details["agent"].is_object()) return nullptr;
  return details["agent"].value(key, ordered_json(nullptr));
}

// The text of a message's content blocks (image blocks have none).
std::string message_text(const threads::Message& message) {
  std::string text;
  for (const ordered_json& block : message.content) {
    if (block.value("type", "") == "text" && block.contains("text")) {
      if (!text.empty()) text += "\n";
      text += block["text"].value("value", "");
    }
  }
  return text;
}

// Messages the original environment hides from agents (metadata.message_type system:* and
// agent:*, e.g. "Output file" notices).
bool hidden_from_agents(const threads::Message& message) {
  if (!message.metadata || !message.metadata->is_object()) return false;
  const std::string type = message.metadata->value("message_type", "");
  return type.rfind("system:", 0) == 0 || type.rfind("agent:", 0) == 0;
}

}  // namespace

BuiltinRunner::BuiltinRunner(threads::ThreadService& threads, threads::RunService& runs,
                             registry::RegistryService& registry)
    : threads_(threads), runs_(runs), registry_(registry) {}

std::string BuiltinRunner::instructions(const api::Identity& owner, const registry::Entry& entry) {
  try {
    auto file = registry_.download_file(owner, entry.location, "instructions.md");
    std::string text;
    char buffer[16 * 1024];
    while (std::size_t got = file->read(buffer, sizeof buffer)) text.append(buffer, got);
    return text;
  } catch (const api::Error& error) {
    if (error.status() != 404) throw;
  }
  const ordered_json inline_instructions = agent_setting(entry.details, "instructions");
  return inline_instructions.is_string() ? inline_instructions.get<std::string>() : "";
}

ordered_json BuiltinRunner::completion_request(const RunnerInvocation& invocation,
                                               const api::Identity& owner) {
  const registry::Entry entry =
      registry_.download_metadata(owner, registry::parse_agent_id(invocation.agent)).entry;
  const ordered_json defaults = agent_setting(entry.details, "defaults");
  const ordered_json& params = invocation.payload["params"];

  ordered_json messages = ordered_json::array();
  if (std::string system = instructions(owner, entry); !system.empty()) {
    messages.push_back({{"role", "system"}, {"content", system}});
  }
  threads::MessageListQuery query{.limit = 10'000, .ascending = true};
  for (const threads::Message& message :
       threads_.list_messages(owner, invocation.thread_id, query).data) {
    if (hidden_from_agents(message)) continue;
    messages.push_back({{"role", message.role}, {"content", message_text(message)}});
  }

  ordered_json request = {{"messages", std::move(messages)}, {"stream", true}};
  // The run's model wins over the agent's default (as params.model does for other runners).
  std::string model = params.value("model", "");
  if (model.empty() && defaults.is_object()) {
    model = defaults.value("model", "");
    const std::string provider = defaults.value("model_provider", "");
    if (!model.empty() && !provider.empty() && model.find("::") == std::string::npos) {
      model = provider + "::" + model;
    }
  }
  if (!model.empty()) request["model"] = model;  // else the gateway's default model
  if (params.contains("temperature") && params["temperature"].is_number()) {
    request["temperature"] = params["temperature"];
  } else if (defaults.is_object() && defaults.contains("model_temperature") &&
             defaults["model_temperature"].is_number()) {
    request["temperature"] = defaults["model_temperature"];
  }
  if (defaults.is_object() && defaults.contains("model_max_tokens") &&
      defaults["model_max_tokens"].is_number_integer()) {
    request["max_tokens"] = defaults["model_max_tokens"];
  }
  return request;
}

RunnerOutcome BuiltinRunner::run(const RunnerInvocation& invocation) {
  const api::Identity owner{.account_id = invocation.account_id};
  try {
    const ordered_json request = completion_request(invocation, owner);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        invocation.deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {.timed_out = true, .error = "no time left"};

    util::HttpRequest http{
        .method = "POST",
        .url = invocation.payload["params"].value("api_url", "") + "/v1/chat/completions",
        .headers = {{"Content-Type", "application/json"},
                    {"Authorization", "Bearer " + util::dump_json(invocation.payload["auth"])},
                    {"run_id", invocation.run_id},
                    {"thread_id", invocation.thread_id}},
        .body = util::dump_json(request),
        .total_timeout = left};
    inference::SseParser parser;
    std::string reply;
    std::string error_body;
    long status = 0;
    const auto on_event = [&reply](const std::string& data) {
      if (data == "[DONE]") return;
      const nlohmann::json chunk = nlohmann::json::parse(data, nullptr, false);
      if (!chunk.is_object() || !chunk.contains("choices") || !chunk["choices"].is_array() ||
          chunk["choices"].empty()) {
        return;
      }
      const nlohmann::json& delta = chunk["choices"][0].value("delta", nlohmann::json::object());
      if (delta.contains("content") && delta["content"].is_string()) {
        reply += delta["content"].get<std::string>();
      }
    };
    try {
      status = util::stream_http_request(http, {}, [&](long code, std::string_view piece) {
        if (code != 200) {
          if (error_body.size() < kMaxErrorBytes) error_body.append(piece);
          return true;
        }
        parser.feed(piece, on_event);
        return true;
      });
    } catch (const util::HttpClientError& error) {
      const bool timed_out = std::chrono::steady_clock::now() >= invocation.deadline;
      return {.timed_out = timed_out, .error = error.what()};
    }
    if (status != 200) {
      return {.error = "the model answered HTTP " + std::to_string(status) + ": " +
                       error_body.substr(0, kMaxErrorBytes)};
    }
    parser.finish(on_event);

    threads::NewMessage message{.role = "assistant",
                                .content = reply,
                                .assistant_id = invocation.agent,
                                .run_id = invocation.run_id};
    threads_.add_message(owner, invocation.thread_id, message);
    runs_.update_run(owner, invocation.thread_id, invocation.run_id,
                     {{"status", "completed"}, {"completed_at", util::now_unix_us() / 1e6}});
    return {.ok = true};
  } catch (const api::Error& error) {
    return {.error = error.message()};
  } catch (const std::exception& error) {
    return {.error = error.what()};
  }
}

}  // namespace nearhub::agents
