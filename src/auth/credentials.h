#pragma once
// NEAR credentials files, as near-cli writes them under ~/.near-credentials:
//   {"account_id": "...", "public_key": "ed25519:...", "private_key": "ed25519:..."}

#include <string>

#include "auth/keys.h"

namespace nearhub::auth {

struct NearCredentials {
  std::string account_id;
  SecretKey secret_key;
};

// A fresh key pair for its implicit account.
NearCredentials generate_implicit_credentials();

// Throws std::runtime_error naming the file and the problem. The public key, if present, must
// be that of the private key.
NearCredentials load_credentials(const std::string& path);

// The JSON text of a credentials file.
std::string credentials_json(const NearCredentials& credentials);

}  // namespace nearhub::auth
