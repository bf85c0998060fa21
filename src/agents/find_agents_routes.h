#pragma once

#include "api/route.h"
#include "registry/service.h"

namespace nearhub::agents {

// POST /v1/find_agents (spec/assistants.md §5.2, A3): agents of the registry, filtered, as raw
// registry rows. `registry` must outlive the table.
void add_find_agents_routes(api::RouteTable& table, registry::RegistryService& registry);

}  // namespace nearhub::agents
