#include "auth/ownership_rpc.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "util/http_client.h"
#include "util/json.h"

namespace nearhub::auth {
namespace {

// The node's errors that mean "this account does not have this key" rather than a failure.
bool is_absence_error(const nlohmann::json& error) {
  const std::string name = error.value("name", "");
  const auto cause = error.find("cause");
  const std::string cause_name =
      cause != error.end() && cause->is_object() ? cause->value("name", "") : "";
  return name == "REQUEST_VALIDATION_ERROR" || cause_name == "UNKNOWN_ACCESS_KEY" ||
         cause_name == "UNKNOWN_ACCOUNT" || cause_name == "INVALID_ACCOUNT";
}

}  // namespace

RpcOwnership::RpcOwnership(std::string rpc_url, bool allow_function_call_keys,
                           std::chrono::milliseconds timeout)
    : rpc_url_(std::move(rpc_url)),
      allow_function_call_keys_(allow_function_call_keys),
      timeout_(timeout) {}

Ownership RpcOwnership::check(const std::string& account_id, const std::string& public_key) const {
  const nlohmann::json call = {{"jsonrpc", "2.0"},
                               {"id", "nearhub"},
                               {"method", "query"},
                               {"params",
                                {{"request_type", "view_access_key"},
                                 {"finality", "final"},
                                 {"account_id", account_id},
                                 {"public_key", public_key}}}};
  util::HttpRequest request{.method = "POST",
                            .url = rpc_url_,
                            .headers = {{"Content-Type", "application/json"}},
                            .body = util::dump_json(call),
                            .connect_timeout = timeout_,
                            .total_timeout = timeout_};
  try {
    const auto response = util::send_http_request(request);
    if (response.status >= 500) {
      spdlog::warn("NEAR RPC {} answered HTTP {}", rpc_url_, response.status);
      return Ownership::Unavailable;
    }
    const auto reply = nlohmann::json::parse(response.body);
    if (const auto error = reply.find("error"); error != reply.end()) {
      if (error->is_object() && is_absence_error(*error)) return Ownership::NotOwned;
      spdlog::warn("NEAR RPC {} error: {}", rpc_url_, util::dump_json(*error));
      return Ownership::Unavailable;
    }
    const auto& result = reply.at("result");
    // Older nodes report a missing key as a result carrying an "error" text.
    if (result.contains("error")) return Ownership::NotOwned;
    const auto& permission = result.at("permission");
    if (permission == "FullAccess") return Ownership::Owned;
    if (permission.is_object() && permission.contains("FunctionCall")) {
      return allow_function_call_keys_ ? Ownership::Owned : Ownership::NotOwned;
    }
    spdlog::warn("NEAR RPC {} returned an unknown permission: {}", rpc_url_,
                 util::dump_json(permission));
    return Ownership::Unavailable;
  } catch (const util::HttpClientError& error) {
    spdlog::warn("NEAR RPC unreachable: {}", error.what());
  } catch (const nlohmann::json::exception& error) {
    spdlog::warn("NEAR RPC {} sent an unreadable reply: {}", rpc_url_, error.what());
  }
  return Ownership::Unavailable;
}

}  // namespace nearhub::auth
