#include "agents/agent_environment.h"

#include "util/json.h"

namespace nearhub::agents {
namespace {

// Copies the entries of a JSON object as environment values (see the header for the rules).
template <typename Json>
void add_vars(const Json& vars, nlohmann::ordered_json& into) {
  if (!vars.is_object()) return;
  for (auto it = vars.begin(); it != vars.end(); ++it) {
    const auto& value = it.value();
    if (value.is_null()) continue;
    into[it.key()] = value.is_string() ? value.template get<std::string>() : util::dump_json(value);
  }
}

}  // namespace

AgentEnvironment agent_environment(const std::string& resolved_agent,
                                   const nlohmann::json& entry_details,
                                   const nlohmann::ordered_json& request_user_env_vars) {
  nlohmann::ordered_json agent_vars = nlohmann::ordered_json::object();
  if (entry_details.is_object()) {
    if (const auto env_vars = entry_details.find("env_vars"); env_vars != entry_details.end()) {
      add_vars(*env_vars, agent_vars);
    }
  }
  // Hub secrets (a later issue) go here: the agent author's secrets for this agent, added after
  // details.env_vars so that they win over them (spec §3 step 4).

  nlohmann::ordered_json user_vars = nlohmann::ordered_json::object();
  // Hub secrets (a later issue) go here: the caller's own secrets for this agent, added before
  // the request's variables so that the request wins (spec §5.1 step 4). When the caller is the
  // agent's author, all of its secrets are user secrets (§3 step 4).
  add_vars(request_user_env_vars, user_vars);

  AgentEnvironment environment;
  environment.agent_env_vars = nlohmann::ordered_json::object();
  environment.agent_env_vars[resolved_agent] = std::move(agent_vars);
  environment.user_env_vars = std::move(user_vars);
  return environment;
}

}  // namespace nearhub::agents
