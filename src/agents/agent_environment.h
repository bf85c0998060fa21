#pragma once
// The environment variables of one agent run (spec/assistants.md §3 step 4, §5.1 step 4,
// §6.3 step 5). This is the one place that decides them; the runner payload carries the result.
//
// The runner merges, later wins: the agent's metadata details.env_vars, then
// agent_env_vars[agent], then user_env_vars. nearhub puts details.env_vars into agent_env_vars
// itself (as execute-run does; A1 in the original leaves them to the runner, which gives the
// same result with the official runner and lets runners that do not read metadata see them).
//
// Values are strings, as environment variables are: a string stays as is, null is left out
// (the variable is unset), and any other JSON value (number, boolean, array, object) becomes
// its compact JSON text, e.g. 3 -> "3", true -> "true". The original passes them through
// untyped and the runner's os.environ rejects non-strings; text is the useful reading.

#include <string>

#include <nlohmann/json.hpp>

namespace nearhub::agents {

struct AgentEnvironment {
  // { "<namespace>/<name>/<version>": { "KEY": "value", ... } }
  nlohmann::ordered_json agent_env_vars;
  // { "KEY": "value", ... }
  nlohmann::ordered_json user_env_vars;
};

// `resolved_agent` is the concrete "namespace/name/version" (never "latest": the runner looks
// agent_env_vars up by the payload's `agents`, spec §5.1 step 4 [BUG]); `entry_details` the
// registry entry's details; `request_user_env_vars` A1's body.user_env_vars (null or an object;
// T11 passes {}). Keys that are not objects are treated as empty.
AgentEnvironment agent_environment(const std::string& resolved_agent,
                                   const nlohmann::json& entry_details,
                                   const nlohmann::ordered_json& request_user_env_vars);

}  // namespace nearhub::agents
