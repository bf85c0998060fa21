#pragma once

#include "agents/run_executor.h"
#include "api/route.h"
#include "registry/service.h"
#include "threads/run_service.h"
#include "util/task_pool.h"

namespace nearhub::agents {

// POST /v1/threads/runs and POST /v1/agent/runs (A1/A2, spec/assistants.md §5.1): run an agent
// on a new or given thread and answer the thread id once it has finished. The run executes on
// `waited_runs`, not on a server worker: the caller's request waits without holding one
// (http::Response::later), so the agent's own calls back into the hub are served meanwhile.
// References must outlive the table.
void add_agent_run_routes(api::RouteTable& table, threads::RunService& runs,
                          registry::RegistryService& registry, RunExecutor& executor,
                          util::TaskPool& waited_runs);

}  // namespace nearhub::agents
