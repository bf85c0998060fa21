#include "platform/nonce_routes.h"

#include <charconv>

#include "api/error.h"
#include "auth/nonce_store.h"
#include "util/time.h"

namespace nearhub::platform {

namespace {

// The web UI asks the user to sign exactly these texts to revoke (spec §5).
constexpr const char* kRevokeMessage = "Are you sure? Revoking a nonce";
constexpr const char* kRevokeAllMessage = "Are you sure? Revoking all nonces";
// A revoke token must be fresh, so that a leaked old token cannot revoke anything.
constexpr std::int64_t kRevokeFreshnessMs = 5 * 60 * 1000;

void check_revoke_token(const api::Identity& caller, const char* expected_message) {
  if (caller.message != expected_message) {
    throw api::Error::http(401, "Invalid nonce revoke message");
  }
  std::int64_t nonce_ms = 0;
  const auto [end, error] =
      std::from_chars(caller.nonce.data(), caller.nonce.data() + caller.nonce.size(), nonce_ms);
  if (error != std::errc() || util::now_unix_ms() - nonce_ms > kRevokeFreshnessMs) {
    throw api::Error::http(401, "Invalid nonce");
  }
}

nlohmann::ordered_json nonce_json(const auth::NonceRecord& record) {
  return {{"nonce", record.nonce},
          {"account_id", record.account_id},
          {"message", record.message},
          {"recipient", record.recipient},
          {"callback_url",
           record.callback_url ? nlohmann::ordered_json(*record.callback_url) : nullptr},
          {"nonce_status", auth::to_string(record.status)},
          {"first_seen_at", util::format_iso8601(record.first_seen_at)}};
}

const nlohmann::json kMessageSchema = {{"type", "object"},
                                       {"properties", {{"message", {{"type", "string"}}}}},
                                       {"required", {"message"}}};

}  // namespace

void add_nonce_routes(api::RouteTable& table, db::Database& database) {
  table.add({
      .method = "POST",
      .path = "/v1/nonce/revoke",
      .auth = api::AuthPolicy::SignatureOnly,
      .tag = "nonces",
      .summary = "Revoke one nonce",
      .description = "The bearer token must be signed for the message `" +
                     std::string(kRevokeMessage) +
                     "` with a nonce at most 5 minutes old. Revoked tokens are refused from the "
                     "next request on. Revoking a nonce the hub has not seen does nothing.",
      .body_kind = api::BodyKind::Json,
      .body_schema = {{"type", "object"},
                      {"properties",
                       {{"nonce",
                         {{"type", "string"},
                          {"minLength", 32},
                          {"maxLength", 32},
                          {"description", "The zero-padded nonce, as /v1/nonce/list shows it."}}}}},
                      {"required", {"nonce"}}},
      .response_schema = kMessageSchema,
      .error_codes = {401},
      .handler =
          [&database](api::Call& call) {
            const api::Identity& caller = call.caller();
            check_revoke_token(caller, kRevokeMessage);
            const std::string nonce = call.body["nonce"];
            auto session = database.session();
            auth::NonceStore(*session).revoke(caller.account_id, nonce);
            // The text is the Python repr of the original's body model ([QUIRK] of §5.1).
            return api::json({{"message", "Nonce nonce=b'" + nonce + "' revoked"}});
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/nonce/revoke/all",
      .auth = api::AuthPolicy::SignatureOnly,
      .tag = "nonces",
      .summary = "Revoke every nonce of the account",
      .description = "The bearer token must be signed for the message `" +
                     std::string(kRevokeAllMessage) + "` with a nonce at most 5 minutes old.",
      .response_schema = kMessageSchema,
      .error_codes = {401},
      .handler =
          [&database](api::Call& call) {
            const api::Identity& caller = call.caller();
            check_revoke_token(caller, kRevokeAllMessage);
            auto session = database.session();
            auth::NonceStore(*session).revoke_all(caller.account_id);
            return api::json({{"message", "All nonces revoked"}});
          },
  });
  table.add({
      .method = "GET",
      .path = "/v1/nonce/list",
      .auth = api::AuthPolicy::Required,
      .tag = "nonces",
      .summary = "List the account's nonces",
      .description = "Every token nonce the hub has seen for the account, oldest first.",
      .response_schema = {{"type", "array"},
                          {"items",
                           {{"type", "object"},
                            {"properties",
                             {{"nonce", {{"type", "string"}}},
                              {"account_id", {{"type", "string"}}},
                              {"message", {{"type", "string"}}},
                              {"recipient", {{"type", "string"}}},
                              {"callback_url", {{"type", {"string", "null"}}}},
                              {"nonce_status",
                               {{"type", "string"}, {"enum", {"active", "revoked"}}}},
                              {"first_seen_at", {{"type", "string"}, {"format", "date-time"}}}}},
                            {"required",
                             {"nonce", "account_id", "message", "recipient", "callback_url",
                              "nonce_status", "first_seen_at"}}}}},
      .handler =
          [&database](api::Call& call) {
            auto session = database.session();
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const auth::NonceRecord& record :
                 auth::NonceStore(*session).list(call.caller().account_id)) {
              list.push_back(nonce_json(record));
            }
            return api::json(list);
          },
  });
}

}  // namespace nearhub::platform
