#pragma once
// Real signed tokens for end-to-end tests, made with the same code as `nearhub token`.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/credentials.h"
#include "auth/token_signer.h"

namespace nearhub::e2e {

// A nonce for "now", optionally shifted by `offset_ms`.
std::string nonce_now(std::int64_t offset_ms = 0);

// A token for `who` signed for ai.near with a fresh nonce; `request` overrides the defaults.
std::string sign_token(const auth::NearCredentials& who, auth::TokenRequest request = {});

// A token whose JSON was edited after signing: `field` set to `value`.
std::string tamper(const std::string& token, const std::string& field, const nlohmann::json& value);

}  // namespace nearhub::e2e
