#include "auth/ownership_fastnear.h"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "util/http_client.h"

namespace nearhub::auth {

FastnearOwnership::FastnearOwnership(std::string base_url, std::chrono::milliseconds timeout)
    : base_url_(std::move(base_url)), timeout_(timeout) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Ownership FastnearOwnership::check(const std::string& account_id,
                                   const std::string& public_key) const {
  // The canonical key has only "ed25519:" and base58 characters: safe in a path as is.
  util::HttpRequest request{.method = "GET",
                            .url = base_url_ + "/v0/public_key/" + public_key,
                            .connect_timeout = timeout_,
                            .total_timeout = timeout_};
  try {
    const auto response = util::send_http_request(request);
    if (response.status != 200) {
      spdlog::warn("FastNEAR {} answered HTTP {}", request.url, response.status);
      return Ownership::Unavailable;
    }
    const auto accounts = nlohmann::json::parse(response.body).at("account_ids");
    if (!accounts.is_array()) {
      spdlog::warn("FastNEAR {} sent account_ids that is not a list", request.url);
      return Ownership::Unavailable;
    }
    const bool listed = std::any_of(accounts.begin(), accounts.end(), [&](const auto& account) {
      return account.is_string() && account.template get<std::string>() == account_id;
    });
    return listed ? Ownership::Owned : Ownership::NotOwned;
  } catch (const util::HttpClientError& error) {
    spdlog::warn("FastNEAR unreachable: {}", error.what());
  } catch (const nlohmann::json::exception& error) {
    spdlog::warn("FastNEAR {} sent an unreadable reply: {}", request.url, error.what());
  }
  return Ownership::Unavailable;
}

}  // namespace nearhub::auth
