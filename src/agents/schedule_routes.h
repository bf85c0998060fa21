#pragma once

#include "api/route.h"
#include "db/database.h"
#include "threads/service.h"

namespace nearhub::agents {

// POST /v1/schedule_run (spec/assistants.md §11.1, S1): stores an agent run to start later
// (agents/schedule_store.h). `database` and `threads` must outlive the table.
void add_schedule_routes(api::RouteTable& table, db::Database& database,
                         threads::ThreadService& threads);

}  // namespace nearhub::agents
