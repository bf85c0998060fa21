#pragma once
// Who is calling, once the token has been verified (spec/platform.md §2).

#include <optional>
#include <string>

namespace nearhub::api {

struct Identity {
  std::string account_id;  // the effective account: on_behalf_of when delegated, else the signer
  std::string signer_id;   // the account that signed the token
  std::string public_key;  // "ed25519:<base58>"
  std::string message;
  std::string nonce;  // zero-padded to 32 ASCII digits, as signed and stored
  std::string recipient;
  std::optional<std::string> callback_url;
  std::optional<std::string> on_behalf_of;
  std::optional<std::string> runner_data;  // JSON text, as sent
};

}  // namespace nearhub::api
