#pragma once
// Settings of the authentication pipeline (DESIGN.md "Authentication"; spec/platform.md §2).

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace nearhub::auth {

// Which verifiers decide that a public key belongs to an account, tried in order (§2.5).
struct OwnershipOptions {
  // Any of "implicit", "rpc", "fastnear", "static". The default, as in app/settings.cpp, accepts
  // implicit accounts offline and needs no network.
  std::vector<std::string> verifiers = {"implicit"};
  std::string rpc_url = "https://rpc.mainnet.near.org";
  // NEAR function-call keys cannot move funds or add keys; the original's TODO was to require
  // full-access keys, so they are refused unless enabled.
  bool rpc_allow_function_call_keys = false;
  std::string fastnear_url = "https://api.fastnear.com";
  std::string static_keys_file;              // JSON {"alice.near": ["ed25519:...", ...]}
  std::chrono::milliseconds timeout{5'000};  // per outbound request, connect included
};

struct AuthOptions {
  // NEP-413 recipients a token may be signed for. The original accepts any recipient, which
  // lets a token signed for another service log in here; empty restores that behaviour.
  std::vector<std::string> accepted_recipients = {"ai.near"};
  OwnershipOptions ownership;
  std::chrono::seconds ownership_cache_ttl{300};
  std::chrono::seconds token_cache_ttl{60};
  std::size_t token_cache_capacity = 10'000;
};

}  // namespace nearhub::auth
