#pragma once
// The bearer token: where it is found in a request (spec/platform.md §2.1) and how its JSON is
// read and checked (§2.2, §2.3). Parsing failures are 400 token errors whose message has the
// shape of the original's pydantic text, e.g.
//   1 validation error for RawAuthToken: nonce. Value error, Nonce is in the future
//   [type=value_error, input_value='9999999999999', input_type=str]

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/nep413.h"
#include "http/request.h"

namespace nearhub::auth {

struct Token {
  std::string account_id;  // the signer
  std::string public_key;
  std::string signature;
  std::string message;
  std::string nonce;  // zero-padded to 32 ASCII digits: what was signed and what is stored
  std::string recipient = "ai.near";
  std::optional<std::string> callback_url;
  std::optional<std::string> on_behalf_of;
  std::optional<std::string> runner_data;  // JSON text, kept as sent

  Nep413Payload payload() const { return {message, nonce, recipient, callback_url}; }
};

// The token text of a request, or nothing when it carries none (anonymous, not an error):
// the credentials of an `Authorization: Bearer ...` header (scheme case-insensitive), else the
// `auth` cookie.
std::optional<std::string> find_credentials(const http::Request& request);

// The token JSON text of `credentials`: every "Bearer " removed, as parse_token does first
// ([QUIRK] clients send "Bearer Bearer {...}"). For code that keeps the caller's raw token.
std::string without_bearer_prefixes(std::string_view credentials);

// The request's token JSON text as the authenticator read it (empty when there is none): what
// agent runners receive, unchanged, so that they can verify it (spec/assistants.md §6.2).
std::string token_text(const http::Request& request);

// Reads the token JSON. `now_ms` is the current Unix time for the nonce rules.
// Throws api::Error::token (400) on any failure.
Token parse_token(std::string_view credentials, std::int64_t now_ms);

// The nonce rules of §2.3 alone: returns the nonce zero-padded to 32 bytes, or throws
// api::Error::token as parse_token would. Also re-checks the age of an already padded nonce.
std::string check_nonce(std::string_view nonce, std::int64_t now_ms);

}  // namespace nearhub::auth
