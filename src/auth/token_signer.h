#pragma once
// Makes bearer tokens, as the NEAR AI CLI does (spec/platform.md §2.2): used by the `token`
// command and by tests that need real signed tokens.

#include <optional>
#include <string>

#include "auth/credentials.h"

namespace nearhub::auth {

struct TokenRequest {
  std::string message = "Welcome to NEAR AI Hub!";
  std::string recipient = "ai.near";
  std::optional<std::string> callback_url;
  std::optional<std::string> on_behalf_of;
  std::string nonce;  // decimal ms timestamp, at most 32 digits; zero-padded for signing
};

// One line of JSON in the CLI's key order: account_id, public_key, signature, callback_url
// (null when absent), message, recipient, nonce, then on_behalf_of when set. The nonce is
// written as given. Throws std::invalid_argument when the nonce is longer than 32 bytes.
std::string make_token(const NearCredentials& credentials, const TokenRequest& request);

}  // namespace nearhub::auth
