#pragma once
// Asks a NEAR JSON-RPC node for the access key (`query` / `view_access_key` at final finality).

#include <chrono>
#include <string>

#include "auth/ownership.h"

namespace nearhub::auth {

class RpcOwnership : public OwnershipVerifier {
 public:
  RpcOwnership(std::string rpc_url, bool allow_function_call_keys,
               std::chrono::milliseconds timeout);
  std::string_view name() const override { return "rpc"; }
  // Owned for a full-access key (and a function-call key when allowed); NotOwned when the node
  // says the key or account does not exist; Unavailable when it cannot be reached or answers
  // something else.
  Ownership check(const std::string& account_id, const std::string& public_key) const override;

 private:
  std::string rpc_url_;
  bool allow_function_call_keys_;
  std::chrono::milliseconds timeout_;
};

}  // namespace nearhub::auth
