#pragma once

#include "agents/run_executor.h"
#include "api/route.h"
#include "registry/service.h"
#include "threads/run_service.h"

namespace nearhub::agents {

// POST /v1/threads/runs and POST /v1/agent/runs (A1/A2, spec/assistants.md §5.1): run an agent
// synchronously on a new or given thread and answer the thread id. References must outlive the
// table.
void add_agent_run_routes(api::RouteTable& table, threads::RunService& runs,
                          registry::RegistryService& registry, RunExecutor& executor);

}  // namespace nearhub::agents
