#pragma once
// The original hub's check: FastNEAR's public-key index, GET {base}/v0/public_key/{key} →
// {"account_ids": [...]}. Mainnet only.

#include <chrono>
#include <string>

#include "auth/ownership.h"

namespace nearhub::auth {

class FastnearOwnership : public OwnershipVerifier {
 public:
  FastnearOwnership(std::string base_url, std::chrono::milliseconds timeout);
  std::string_view name() const override { return "fastnear"; }
  // Owned when the account is listed; any HTTP error, network error or bad JSON is Unavailable.
  Ownership check(const std::string& account_id, const std::string& public_key) const override;

 private:
  std::string base_url_;
  std::chrono::milliseconds timeout_;
};

}  // namespace nearhub::auth
