#pragma once
// Ownership from a file the operator maintains: {"alice.near": ["ed25519:...", ...], ...}.
// Read once at start-up; offline.

#include <map>
#include <set>
#include <string>

#include "auth/ownership.h"

namespace nearhub::auth {

class StaticOwnership : public OwnershipVerifier {
 public:
  // account id → canonical public keys.
  explicit StaticOwnership(std::map<std::string, std::set<std::string>> keys_by_account);
  // Throws std::runtime_error naming the file and the problem (unreadable, not the expected
  // JSON shape, a malformed key).
  static StaticOwnership from_file(const std::string& path);

  std::string_view name() const override { return "static"; }
  Ownership check(const std::string& account_id, const std::string& public_key) const override;

 private:
  std::map<std::string, std::set<std::string>> keys_by_account_;
};

}  // namespace nearhub::auth
