#pragma once
// An implicit account is named by its own public key (64 lowercase hex characters), so its
// ownership is decided offline.

#include "auth/ownership.h"

namespace nearhub::auth {

class ImplicitOwnership : public OwnershipVerifier {
 public:
  std::string_view name() const override { return "implicit"; }
  // NotOwned for any other account: a named account is for the next verifier to decide.
  Ownership check(const std::string& account_id, const std::string& public_key) const override;
};

}  // namespace nearhub::auth
