#include "auth/ownership_factory.h"

#include <stdexcept>

#include "auth/ownership_fastnear.h"
#include "auth/ownership_implicit.h"
#include "auth/ownership_rpc.h"
#include "auth/ownership_static.h"

namespace nearhub::auth {

std::vector<std::unique_ptr<OwnershipVerifier>> make_ownership_verifiers(
    const OwnershipOptions& options) {
  if (options.verifiers.empty()) {
    throw std::invalid_argument("at least one key ownership verifier must be configured");
  }
  std::vector<std::unique_ptr<OwnershipVerifier>> verifiers;
  for (const auto& name : options.verifiers) {
    if (name == "implicit") {
      verifiers.push_back(std::make_unique<ImplicitOwnership>());
    } else if (name == "rpc") {
      verifiers.push_back(std::make_unique<RpcOwnership>(
          options.rpc_url, options.rpc_allow_function_call_keys, options.timeout));
    } else if (name == "fastnear") {
      verifiers.push_back(
          std::make_unique<FastnearOwnership>(options.fastnear_url, options.timeout));
    } else if (name == "static") {
      if (options.static_keys_file.empty()) {
        throw std::invalid_argument("the 'static' key ownership verifier needs a keys file");
      }
      verifiers.push_back(
          std::make_unique<StaticOwnership>(StaticOwnership::from_file(options.static_keys_file)));
    } else {
      throw std::invalid_argument("unknown key ownership verifier '" + name +
                                  "' (expected implicit, rpc, fastnear or static)");
    }
  }
  return verifiers;
}

}  // namespace nearhub::auth
