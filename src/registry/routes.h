#pragma once

#include "api/route.h"
#include "db/database.h"
#include "registry/service.h"

namespace nearhub::registry {

// POST /v1/registry/upload_file, download_file, upload_metadata, download_metadata,
// list_files, list_entries, fork (spec/platform.md §6) and /v1/stars/add_star, remove_star
// (§7.1–7.2). `service` must outlive the table.
void add_registry_routes(api::RouteTable& table, RegistryService& service);

// POST /v1/permissions/grant_permission, revoke_permission (§7.3–7.4).
void add_permission_routes(api::RouteTable& table, db::Database& database);

}  // namespace nearhub::registry
