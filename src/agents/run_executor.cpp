#include "agents/run_executor.h"

#include <spdlog/spdlog.h>

#include "agents/agent_environment.h"
#include "agents/runner_payload.h"
#include "api/error.h"
#include "registry/agent_id.h"
#include "util/time.h"

namespace nearhub::agents {

using nlohmann::ordered_json;

namespace {

// The statuses in which nobody has reported an outcome yet.
bool unfinished(const std::string& status) { return status == "queued" || status == "in_progress"; }

std::string framework_of(const ordered_json& details) {
  if (details.contains("agent") && details["agent"].is_object() &&
      details["agent"].contains("framework") && details["agent"]["framework"].is_string()) {
    return details["agent"]["framework"].get<std::string>();
  }
  return "minimal";
}

}  // namespace

RunExecutor::RunExecutor(threads::RunService& runs, registry::RegistryService& registry,
                         Runner* runner, Runner& builtin, RunExecutorOptions options)
    : runs_(runs),
      registry_(registry),
      runner_(runner),
      builtin_(builtin),
      options_(std::move(options)) {}

void RunExecutor::set_api_url(std::string api_url) {
  std::lock_guard lock(mutex_);
  api_url_ = std::move(api_url);
}

void RunExecutor::execute(const Execution& execution) {
  try {
    invoke(execution);
  } catch (const std::exception& error) {
    spdlog::error("run {}: {}", execution.run.id, error.what());
    try {
      runs_.end_unfinished(execution.run.id, "failed",
                           std::string("The hub could not execute the run: ") + error.what());
    } catch (const std::exception& again) {
      spdlog::error("run {}: could not mark it failed: {}", execution.run.id, again.what());
    }
  }
  try {
    runs_.clear_auth(execution.run.id);
    link_to_parent(execution.run);
  } catch (const std::exception& error) {
    spdlog::error("run {}: {}", execution.run.id, error.what());
  }
}

void RunExecutor::invoke(const Execution& execution) {
  const threads::Run& run = execution.run;
  const ordered_json auth = ordered_json::parse(execution.auth, nullptr, false);
  if (auth.is_discarded() || !auth.is_object()) {
    runs_.end_unfinished(run.id, "failed", "The run has no token to execute the agent with");
    return;
  }
  // The agent, as the run's owner may read it (a private agent of someone else is not found).
  const api::Identity owner{.account_id = run.owner_id};
  const std::string first_agent = run.assistant_id.substr(0, run.assistant_id.find(','));
  registry::Entry entry;
  try {
    entry = registry_.download_metadata(owner, registry::parse_agent_id(first_agent)).entry;
  } catch (const api::Error& error) {
    // [REC] §3 step 3: the run fails instead of staying queued.
    runs_.end_unfinished(run.id, "failed",
                         "Agent '" + first_agent + "' could not be resolved: " + error.message());
    return;
  }
  const std::string agent =
      entry.location.namespace_ + "/" + entry.location.name + "/" + entry.location.version;
  const std::string framework = framework_of(entry.details);
  Runner* runner = framework == "prompt" ? &builtin_ : runner_;
  if (!runner) {
    runs_.end_unfinished(
        run.id, "failed",
        "No runner is configured for agents of framework '" + framework + "' (set runs.runner)");
    return;
  }

  const AgentEnvironment environment =
      agent_environment(agent, nlohmann::json(entry.details), execution.user_env_vars);
  std::string api_url;
  {
    std::lock_guard lock(mutex_);
    api_url = api_url_;
  }
  RunnerPayloadInput input{.agents = agent,
                           .thread_id = run.thread_id,
                           .run_id = run.id,
                           .auth = auth,
                           .api_url = api_url,
                           .tool_resources = run.tools ? *run.tools : ordered_json(nullptr),
                           .user_env_vars = environment.user_env_vars,
                           .agent_env_vars = environment.agent_env_vars};
  if (!execution.agent_endpoint) {
    input.model = run.model;
    input.temperature =
        run.options.contains("temperature") ? run.options["temperature"] : ordered_json(nullptr);
  }

  // The deadline stored with the run, as a steady-clock point.
  const std::int64_t left_us =
      run.expires_at
          ? *run.expires_at - util::now_unix_us()
          : std::chrono::duration_cast<std::chrono::microseconds>(options_.run_timeout).count();
  RunnerInvocation invocation{
      .run_id = run.id,
      .thread_id = run.thread_id,
      .agent = agent,
      .account_id = run.owner_id,
      .payload = runner_payload(input),
      .deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(left_us)};
  const RunnerOutcome outcome = runner->run(invocation);

  const std::optional<threads::Run> after = runs_.find(run.id);
  if (!after || !unfinished(after->status)) return;  // the agent reported its outcome
  if (outcome.timed_out) {
    runs_.end_unfinished(run.id, "expired", "The agent did not finish before the run's deadline");
  } else if (!outcome.ok) {
    runs_.end_unfinished(run.id, "failed", "The runner failed: " + outcome.error);
  } else {
    // [REC] §3 step 7: a runner that returns while the run is in progress leaves it failed.
    runs_.end_unfinished(run.id, "failed", "The agent returned without completing the run");
  }
}

void RunExecutor::link_to_parent(const threads::Run& run) {
  if (!run.parent_run_id) return;
  const std::optional<threads::Run> parent = runs_.find(*run.parent_run_id);
  if (!parent || parent->owner_id != run.owner_id) return;
  if (parent->parent_run_id) {
    // One level only (spec §3 step 8): the original raised and logged the same.
    spdlog::warn("run {}: parent run {} is itself a child run; not linked", run.id, parent->id);
    return;
  }
  runs_.add_child_run(parent->id, run.id);
}

}  // namespace nearhub::agents
