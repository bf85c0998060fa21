// POST /v1/permissions/grant_permission and revoke_permission (spec/platform.md §7.3–7.4).

#include "api/error.h"
#include "registry/permission_store.h"
#include "registry/routes.h"

namespace nearhub::registry {

namespace {

std::vector<api::Param> permission_params() {
  return {{.name = "account_id",
           .schema = {{"type", "string"}, {"default", ""}},
           .required = false,
           .description = "The account whose permissions change (required in practice)."},
          {.name = "permission",
           .schema = {{"type", "string"}, {"default", ""}},
           .required = false,
           .description = "e.g. `update_permission`, `submit_job`, `worker`."}};
}

// The caller needs update_permission; account_id must be given.
std::string checked_account(db::Session& session, const api::Call& call) {
  require_permission(session, call.caller().account_id, "update_permission");
  std::string account_id = call.params.at("account_id").get<std::string>();
  if (account_id.empty()) throw api::Error::http(400, "account_id is required");
  return account_id;
}

}  // namespace

void add_permission_routes(api::RouteTable& table, db::Database& database) {
  table.add({
      .method = "POST",
      .path = "/v1/permissions/grant_permission",
      .auth = api::AuthPolicy::Required,
      .tag = "permissions",
      .summary = "Grant a permission to an account",
      .description = "Needs the `update_permission` permission. The first holder is inserted "
                     "into the `permissions` table directly (see docs/registry.md).",
      .params = permission_params(),
      .response_schema = {{"type", "null"}},
      .error_codes = {400, 403},
      .handler =
          [&database](api::Call& call) {
            auto session = database.session();
            const std::string account_id = checked_account(*session, call);
            PermissionStore(*session).grant(account_id,
                                            call.params.at("permission").get<std::string>());
            return api::json(nullptr);
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/permissions/revoke_permission",
      .auth = api::AuthPolicy::Required,
      .tag = "permissions",
      .summary = "Revoke a permission, or all of an account's",
      .description = "Needs `update_permission`. An empty `permission` revokes every "
                     "permission of the account.",
      .params = permission_params(),
      .response_schema = {{"type", "null"}},
      .error_codes = {400, 403},
      .handler =
          [&database](api::Call& call) {
            auto session = database.session();
            const std::string account_id = checked_account(*session, call);
            // [BUG] fixed: the original always answers 500 here (spec §7.4).
            PermissionStore(*session).revoke(account_id,
                                             call.params.at("permission").get<std::string>());
            return api::json(nullptr);
          },
  });
}

}  // namespace nearhub::registry
