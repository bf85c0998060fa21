#pragma once

#include "api/route.h"
#include "db/database.h"

namespace nearhub::platform {

// POST /v1/delegation/delegate, list_delegations, revoke_delegation (spec/platform.md §7.5–7.7).
void add_delegation_routes(api::RouteTable& table, db::Database& database);

}  // namespace nearhub::platform
