#pragma once

#include "api/route.h"
#include "threads/service.h"

namespace nearhub::threads {

// /v1/threads (T1, T2), /v1/threads/{thread_id} (T3–T5), .../fork (T6), .../subthread (T7),
// .../messages (T8, T9) and .../messages/{message_id} (T10, plus POST and GET as in OpenAI) of
// spec/assistants.md §2. `service` must outlive the table.
void add_thread_routes(api::RouteTable& table, ThreadService& service);

}  // namespace nearhub::threads
