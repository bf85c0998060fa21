#include "platform/delegation_routes.h"

#include "api/error.h"
#include "auth/delegation_store.h"
#include "util/time.h"

namespace nearhub::platform {

namespace {

nlohmann::ordered_json delegation_json(const auth::Delegation& delegation) {
  return {{"id", delegation.id},
          {"original_account_id", delegation.original_account_id},
          {"delegation_account_id", delegation.delegation_account_id},
          {"expires_at", delegation.expires_at
                             ? nlohmann::ordered_json(util::format_iso8601(*delegation.expires_at))
                             : nullptr}};
}

const api::Param kDelegateAccountParam = {
    .name = "delegate_account_id",
    .in = api::ParamLocation::Query,
    .schema = {{"type", "string"}},
    .required = true,
    .description = "The account allowed to act on behalf of the caller.",
};

}  // namespace

void add_delegation_routes(api::RouteTable& table, db::Database& database) {
  table.add({
      .method = "POST",
      .path = "/v1/delegation/delegate",
      .auth = api::AuthPolicy::Required,
      .tag = "delegation",
      .summary = "Let another account act on your behalf",
      .description = "Replaces any delegation to that account. Until `expires_at`, tokens it "
                     "signs with `on_behalf_of` set to your account act as you.",
      .params = {kDelegateAccountParam,
                 {.name = "expires_at",
                  .schema = {{"type", "string"}, {"format", "date-time"}},
                  .description = "ISO 8601 date-time (UTC when no offset) or a Unix time."}},
      .response_schema = {{"type", "null"}},
      .handler =
          [&database](api::Call& call) {
            const std::string delegate = call.params["delegate_account_id"];
            // The validator has checked and normalized the date-time.
            const std::optional<std::int64_t> expires_at =
                util::parse_datetime(call.params["expires_at"].get<std::string>());
            auto session = database.session();
            auth::DelegationStore(*session).replace(call.caller().account_id, delegate, expires_at);
            return api::json(nullptr);
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/delegation/list_delegations",
      .auth = api::AuthPolicy::Required,
      .tag = "delegation",
      .summary = "List the delegations you granted",
      .response_schema =
          {{"type", "array"},
           {"items",
            {{"type", "object"},
             {"properties",
              {{"id", {{"type", "integer"}}},
               {"original_account_id", {{"type", "string"}}},
               {"delegation_account_id", {{"type", "string"}}},
               {"expires_at", {{"type", {"string", "null"}}, {"format", "date-time"}}}}},
             {"required", {"id", "original_account_id", "delegation_account_id", "expires_at"}}}}},
      .handler =
          [&database](api::Call& call) {
            auto session = database.session();
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const auth::Delegation& delegation :
                 auth::DelegationStore(*session).list(call.caller().account_id)) {
              list.push_back(delegation_json(delegation));
            }
            return api::json(list);
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/delegation/revoke_delegation",
      .auth = api::AuthPolicy::Required,
      .tag = "delegation",
      .summary = "Withdraw delegations you granted",
      .description = "Withdraws the delegation to `delegate_account_id`, or every delegation "
                     "when it is empty. Takes effect on the delegate's next request.",
      .params = {kDelegateAccountParam},
      .response_schema = {{"type", "null"}},
      .handler =
          [&database](api::Call& call) {
            const std::string delegate = call.params["delegate_account_id"];
            auto session = database.session();
            auth::DelegationStore store(*session);
            if (delegate.empty()) {
              store.remove_all(call.caller().account_id);
            } else {
              store.remove(call.caller().account_id, delegate);
            }
            return api::json(nullptr);
          },
  });
}

}  // namespace nearhub::platform
