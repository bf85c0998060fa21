#pragma once
// The JSON a runner receives for one agent run (spec/assistants.md §6.2): the same document for
// the HTTP runner (the official runner image's request body) and the subprocess runner (stdin).

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nearhub::agents {

struct RunnerPayloadInput {
  std::string agents;  // the resolved "namespace/name/version" of the (first) agent
  std::string thread_id;
  std::string run_id;
  // The caller's token JSON object, forwarded unchanged: the runner re-verifies its signature.
  nlohmann::ordered_json auth;
  std::string api_url;  // the hub's URL as the agent sees it, without /v1 (the runner adds it)
  nlohmann::ordered_json tool_resources = nullptr;
  std::string data_source = "registry";
  // Absent for A1 runs (spec §5.1 step 5), present for T11 runs (§3 step 5).
  std::optional<std::string> model;
  std::optional<nlohmann::ordered_json> temperature;
  nlohmann::ordered_json user_env_vars = nlohmann::ordered_json::object();
  nlohmann::ordered_json agent_env_vars = nlohmann::ordered_json::object();
};

// {"agents", "thread_id", "run_id", "auth", "params": {"record_run": true, "api_url",
//  "tool_resources", "data_source", ["model", "temperature",] "user_env_vars", "agent_env_vars"}}
// in this key order. A numeric auth.nonce is turned into its decimal string, as the runner
// expects a string; everything else in `auth` is passed through as given.
nlohmann::ordered_json runner_payload(const RunnerPayloadInput& input);

}  // namespace nearhub::agents
