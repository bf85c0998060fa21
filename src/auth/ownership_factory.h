#pragma once
// Builds the ownership verifiers named in the configuration.

#include <memory>
#include <vector>

#include "auth/auth_options.h"
#include "auth/ownership.h"

namespace nearhub::auth {

// In the order of options.verifiers. Throws std::invalid_argument for an unknown name or
// an empty list, and std::runtime_error when the static keys file cannot be loaded, so that a
// misconfiguration stops the server at start-up.
std::vector<std::unique_ptr<OwnershipVerifier>> make_ownership_verifiers(
    const OwnershipOptions& options);

}  // namespace nearhub::auth
