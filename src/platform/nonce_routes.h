#pragma once

#include "api/route.h"
#include "db/database.h"

namespace nearhub::platform {

// POST /v1/nonce/revoke, POST /v1/nonce/revoke/all, GET /v1/nonce/list (spec/platform.md §5).
void add_nonce_routes(api::RouteTable& table, db::Database& database);

}  // namespace nearhub::platform
