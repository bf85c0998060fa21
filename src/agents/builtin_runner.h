#pragma once
// Runs prompt agents inside nearhub (docs/agents.md "Prompt agents"): an agent whose metadata
// says "agent": {"framework": "prompt"} is its instructions (the entry's instructions.md, else
// details.agent.instructions) and a model (details.agent.defaults). The builtin runner sends
// the instructions and the thread's messages to the hub's own /v1/chat/completions, streamed,
// with the run's token and run_id header — so the reply streams to the run's subscribers as
// message deltas, and rate limits and usage apply as for any agent — then stores the reply as
// the assistant's message and marks the run completed.

#include <string>

#include "agents/runner.h"
#include "registry/service.h"
#include "threads/run_service.h"
#include "threads/service.h"

namespace nearhub::agents {

class BuiltinRunner final : public Runner {
 public:
  // References must outlive the runner. The hub's URL comes from the payload's api_url.
  BuiltinRunner(threads::ThreadService& threads, threads::RunService& runs,
                registry::RegistryService& registry);

  RunnerOutcome run(const RunnerInvocation& invocation) override;

 private:
  // The chat-completions request body for the run.
  nlohmann::ordered_json completion_request(const RunnerInvocation& invocation,
                                            const api::Identity& owner);
  std::string instructions(const api::Identity& owner, const registry::Entry& entry);

  threads::ThreadService& threads_;
  threads::RunService& runs_;
  registry::RegistryService& registry_;
};

}  // namespace nearhub::agents
