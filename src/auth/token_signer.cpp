#include "auth/token_signer.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "auth/nep413.h"

namespace nearhub::auth {

std::string make_token(const NearCredentials& credentials, const TokenRequest& request) {
  constexpr std::size_t kNonceSize = 32;
  if (request.nonce.size() > kNonceSize) {
    throw std::invalid_argument("a nonce has at most 32 digits");
  }
  const std::string padded_nonce =
      std::string(kNonceSize - request.nonce.size(), '0') + request.nonce;
  const Signature signature =
      sign_nep413(credentials.secret_key,
                  {request.message, padded_nonce, request.recipient, request.callback_url});
  nlohmann::ordered_json token = {
      {"account_id", credentials.account_id},
      {"public_key", credentials.secret_key.public_key().to_string()},
      {"signature", format_signature(signature)},
      {"callback_url", request.callback_url ? nlohmann::ordered_json(*request.callback_url)
                                            : nlohmann::ordered_json(nullptr)},
      {"message", request.message},
      {"recipient", request.recipient},
      {"nonce", request.nonce}};
  if (request.on_behalf_of) token["on_behalf_of"] = *request.on_behalf_of;
  return token.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace nearhub::auth
