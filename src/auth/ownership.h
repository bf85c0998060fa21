#pragma once
// Does a public key belong to a NEAR account (spec/platform.md §2.5)? Answered by one of
// several verifiers (ownership_*.h), combined by OwnershipChain.

#include <string>
#include <string_view>

namespace nearhub::auth {

enum class Ownership {
  Owned,
  NotOwned,
  Unavailable,  // the verifier could not answer (network failure, bad reply): not a "no"
};

class OwnershipVerifier {
 public:
  virtual ~OwnershipVerifier() = default;
  virtual std::string_view name() const = 0;
  // `public_key` is canonical ("ed25519:" + base58 of 32 bytes). Thread-safe; reports remote
  // failures as Unavailable rather than throwing.
  virtual Ownership check(const std::string& account_id, const std::string& public_key) const = 0;
};

}  // namespace nearhub::auth
