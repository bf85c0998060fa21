#pragma once

#include "api/route.h"

namespace nearhub::app {

// GET /health and GET /v1/version (spec/platform.md §4.1, §4.9).
void add_system_routes(api::RouteTable& table);

}  // namespace nearhub::app
