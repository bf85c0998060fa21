#pragma once
// Hub-signed completions (spec/platform.md §3). The hub holds one master ed25519 key; each agent
// gets its own key derived from it (§3.1), and a chat completion asked for by a trusted runner on
// behalf of an agent is signed with that agent's key (§3.2, §3.3), so that the agent can prove
// which model said what. Anyone can fetch an agent's public key (POST /v1/get_agent_public_key).
//
// [REC] of §3.1, followed: without a configured master key the hub refuses to sign and to hand out
// agent keys. The original derived keys from an empty master, which anyone can recompute.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/identity.h"
#include "auth/keys.h"
#include "util/bytes.h"

namespace nearhub::inference {

struct SignedMessage {
  std::string role;
  std::string content;
};

struct SignatureInput {
  std::string agent_name;  // runner_data.agent
  std::string model;       // "provider::model" after resolution
  std::vector<SignedMessage> messages;
  double temperature = 0;       // request value (null -> 0)
  std::int64_t max_tokens = 0;  // request value (null -> 0)
  std::string completion;       // choices[0].message.content
};

class CompletionSigner {
 public:
  // `hub_private_key`: "ed25519:<base58 64 bytes>"; empty = not configured (refuse to sign).
  // Throws std::invalid_argument when a non-empty key cannot be parsed: a typo must stop the
  // start-up rather than silently disable signing.
  explicit CompletionSigner(const std::string& hub_private_key);

  bool configured() const { return master_seed_.has_value(); }
  // "ed25519:<base58>" of the agent's derived key. Throws std::logic_error if !configured().
  std::string agent_public_key(const std::string& agent_name) const;
  // The system_fingerprint JSON *text* of spec §3.3, or nullopt when it cannot sign (not
  // configured, negative or too large temperature or max_tokens).
  std::optional<std::string> sign(const SignatureInput& input) const;

 private:
  std::optional<auth::SecretKey::Seed> master_seed_;
};

// Spec §3.1: the agent's key is the ed25519 key whose seed is SHA-256(master seed ‖ agent name).
// The master seed may be empty (the original's behaviour without HUB_PRIVATE_KEY; tests only).
auth::SecretKey derive_agent_key(util::ByteView master_seed, std::string_view agent_name);

// Spec §3.2: the Borsh bytes that are hashed and signed; nullopt when a value does not fit the
// payload (temperature × 1000 rounded half-to-even, or max_tokens, negative or above u32).
std::optional<util::Bytes> signature_payload(const SignatureInput& input);

// Spec §3.3: what Python's json.dumps writes for {"response", "signature", "public_key"}: keys in
// that order, ", " and ": " separators, non-ASCII escaped as \uXXXX (ensure_ascii).
std::string system_fingerprint_text(std::string_view completion, std::string_view signature,
                                    std::string_view public_key);

// Spec §3.3 in one call, used by the non-streaming chat handler (inference helper calls it):
// signs when request.runner_data.agent is non-empty and the runner_api_key is trusted, and
// then replaces response["system_fingerprint"]. Never throws.
void sign_chat_completion_if_trusted(const CompletionSigner& signer, const api::Identity& caller,
                                     const std::vector<std::string>& trusted_runner_api_keys,
                                     const std::string& resolved_model,
                                     const nlohmann::json& request_body, nlohmann::json& response);

}  // namespace nearhub::inference
