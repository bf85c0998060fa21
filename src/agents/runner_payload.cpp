#include "agents/runner_payload.h"

namespace nearhub::agents {

nlohmann::ordered_json runner_payload(const RunnerPayloadInput& input) {
  nlohmann::ordered_json auth = input.auth;
  if (auth.is_object()) {
    const auto nonce = auth.find("nonce");
    // Tokens carry the nonce as a string already (auth/token.h); a number would make the
    // runner's pydantic model reject the token, so it is written as its digits.
    if (nonce != auth.end() && nonce->is_number()) *nonce = nonce->dump();
  }

  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  params["record_run"] = true;
  params["api_url"] = input.api_url;
  params["tool_resources"] = input.tool_resources;
  params["data_source"] = input.data_source;
  if (input.model) params["model"] = *input.model;
  if (input.temperature) params["temperature"] = *input.temperature;
  params["user_env_vars"] = input.user_env_vars;
  params["agent_env_vars"] = input.agent_env_vars;

  nlohmann::ordered_json payload = nlohmann::ordered_json::object();
  payload["agents"] = input.agents;
  payload["thread_id"] = input.thread_id;
  payload["run_id"] = input.run_id;
  payload["auth"] = std::move(auth);
  payload["params"] = std::move(params);
  return payload;
}

}  // namespace nearhub::agents
