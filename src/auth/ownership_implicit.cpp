#include "auth/ownership_implicit.h"

#include "auth/keys.h"

namespace nearhub::auth {

Ownership ImplicitOwnership::check(const std::string& account_id,
                                   const std::string& public_key) const {
  const auto key = PublicKey::parse(public_key);
  return key && implicit_account_id(*key) == account_id ? Ownership::Owned : Ownership::NotOwned;
}

}  // namespace nearhub::auth
