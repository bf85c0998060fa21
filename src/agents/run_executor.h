#pragma once
// Execute-run (spec/assistants.md §3) with its [REC] fixes: a run always ends. The executor
// resolves the run's agent in the registry, builds the runner payload and environment, invokes
// the runner chosen for the agent's framework (prompt agents run inside nearhub, everything else
// goes to the configured runner), and afterwards ends the run as failed (with last_error) when
// the agent could not be resolved, the runner failed, or the agent returned without reporting
// an outcome — and as expired when the deadline passed.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agents/runner.h"
#include "registry/service.h"
#include "threads/run_service.h"

namespace nearhub::agents {

struct RunExecutorOptions {
  // How long a run may execute.
  std::chrono::milliseconds run_timeout{600'000};
};

// One execution: the run (claimed: in_progress with a deadline), the token to forward and, for
// A1, the request's environment.
struct Execution {
  threads::Run run;
  std::string auth;  // the token JSON text
  nlohmann::ordered_json user_env_vars = nlohmann::ordered_json::object();
  // A1/A2 (spec §5.1): no model or temperature in the payload.
  bool agent_endpoint = false;
};

class RunExecutor {
 public:
  // `runner` executes non-prompt agents; null when none is configured (such runs fail with a
  // clear last_error). `builtin` executes prompt agents. Both must outlive the executor.
  RunExecutor(threads::RunService& runs, registry::RegistryService& registry, Runner* runner,
              Runner& builtin, RunExecutorOptions options);

  // The hub's URL as agents reach it, without /v1 (the runner payload's api_url). Known once
  // the server listens; set before runs execute.
  void set_api_url(std::string api_url);

  // Runs `execution` to its end; never throws.
  void execute(const Execution& execution);

  const RunExecutorOptions& options() const { return options_; }

 private:
  void invoke(const Execution& execution);
  void link_to_parent(const threads::Run& run);

  threads::RunService& runs_;
  registry::RegistryService& registry_;
  Runner* runner_;
  Runner& builtin_;
  RunExecutorOptions options_;
  mutable std::mutex mutex_;
  std::string api_url_;  // guarded by mutex_
};

}  // namespace nearhub::agents
