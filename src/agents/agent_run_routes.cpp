#include "agents/agent_run_routes.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "api/error.h"
#include "auth/token.h"
#include "registry/agent_id.h"

namespace nearhub::agents {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

json agent_run_body() {
  const json nullable_string = {{"type", {"string", "null"}}};
  return {{"type", "object"},
          {"properties",
           {{"agent_id",
             {{"type", {"string", "null"}},
              {"description",
               "namespace/name/version; a comma-separated list is allowed (the "
               "first agent is run)."}}},
            {"assistant_id", {{"type", {"string", "null"}}, {"description", "Alias of agent_id."}}},
            {"thread_id", nullable_string},
            {"new_message", nullable_string},
            {"record_run", {{"type", "boolean"}, {"default", true}}},
            {"tool_resources", {{"type", {"object", "null"}}}},
            {"user_env_vars",
             {{"type", {"object", "null"}}, {"additionalProperties", {{"type", "string"}}}}}}}};
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

std::optional<std::string> optional_string(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return std::nullopt;
  return body[key].get<std::string>();
}

}  // namespace

void add_agent_run_routes(api::RouteTable& table, threads::RunService& runs,
                          registry::RegistryService& registry, RunExecutor& executor,
                          util::TaskPool& waited_runs) {
  const api::Handler handler = [&runs, &registry, &executor, &waited_runs](api::Call& call) {
    const json& body = call.body;
    std::optional<std::string> agents = optional_string(body, "agent_id");
    if (!agents || agents->empty()) agents = optional_string(body, "assistant_id");
    if (!agents || agents->empty()) {
      throw api::Error::http(400, "Missing required parameters: agent_id or assistant_id");
    }
    // Every agent must resolve before anything is written ([REC] §5.1 step 8).
    for (const std::string& agent : split_commas(*agents)) {
      registry.download_metadata(call.caller(), registry::parse_agent_id(agent));
    }
    const threads::Run run =
        runs.create_agent_run(call.caller(), optional_string(body, "thread_id"), *agents,
                              optional_string(body, "new_message"), executor.options().run_timeout);
    Execution execution{.run = run, .auth = auth::token_text(call.request), .agent_endpoint = true};
    if (body.contains("user_env_vars") && body["user_env_vars"].is_object()) {
      execution.user_env_vars = ordered_json(body["user_env_vars"]);
    }
    if (body.contains("tool_resources") && body["tool_resources"].is_object()) {
      execution.run.tools = ordered_json(body["tool_resources"]);
    }
    // As the original, the answer comes when the agent has finished.
    return http::Response::later(
        [&runs, &executor, &waited_runs, execution = std::move(execution)](http::Respond respond) {
          waited_runs.post([&runs, &executor, execution, respond]() mutable {
            try {
              // The deadline counts from here; a run that expired while it waited for a thread
              // is not executed (its last_error says why).
              if (runs.start_run(execution.run.id, executor.options().run_timeout)) {
                execution.run = *runs.find(execution.run.id);
                executor.execute(execution);
              }
              // [QUIRK] §5.1 step 10: a finished A1 run is left waiting for the user.
              if (const auto after = runs.find(execution.run.id);
                  after && after->status == "completed") {
                runs.set_status(execution.run.id, "requires_action");
              }
              respond(api::json(execution.run.thread_id));
            } catch (const api::Error& error) {
              respond(api::error_response(error));
            } catch (const std::exception& error) {
              // The database failed around the run: the caller must not wait forever.
              spdlog::error("agent run {}: {}", execution.run.id, error.what());
              respond(api::internal_error_response());
            }
          });
        });
  };
  for (const char* path : {"/v1/threads/runs", "/v1/agent/runs"}) {
    table.add({
        .method = "POST",
        .path = path,
        .tag = "agents",
        .summary = "Run an agent and wait for it",
        .description = "Runs the agent on `thread_id` (or a new thread) after adding "
                       "`new_message`, waits until it has finished, and answers the thread id "
                       "as a JSON string. The run is then `requires_action` (waiting for the "
                       "user), or `failed` / `expired` with `last_error`.",
        .body_kind = api::BodyKind::Json,
        .body_schema = agent_run_body(),
        .response_schema = {{"type", "string"}},
        .error_codes = {400, 403, 404},
        .handler = handler,
    });
  }
}

}  // namespace nearhub::agents
