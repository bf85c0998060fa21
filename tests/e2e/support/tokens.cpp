#include "e2e/support/tokens.h"

#include "util/time.h"

namespace nearhub::e2e {

std::string nonce_now(std::int64_t offset_ms) {
  return std::to_string(util::now_unix_ms() + offset_ms);
}

std::string sign_token(const auth::NearCredentials& who, auth::TokenRequest request) {
  if (request.nonce.empty()) request.nonce = nonce_now();
  return auth::make_token(who, request);
}

std::string tamper(const std::string& token, const std::string& field,
                   const nlohmann::json& value) {
  nlohmann::json json = nlohmann::json::parse(token);
  json[field] = value;
  return json.dump();
}

}  // namespace nearhub::e2e
