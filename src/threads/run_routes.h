#pragma once

#include "api/route.h"
#include "threads/run_service.h"
#include "threads/run_streams.h"

namespace nearhub::threads {

// /v1/threads/{thread_id}/runs (T11), .../stream/{run_id} (T12) and .../runs/{run_id} (T13 GET,
// T14 POST) of spec/assistants.md §2.11-2.14 and §4. `service` and `streams` must outlive the
// table.
void add_run_routes(api::RouteTable& table, RunService& service, RunStreams& streams);

}  // namespace nearhub::threads
