#pragma once
// The authentication pipeline of spec/platform.md §2 behind api::Authenticator:
//   credentials → parse (400) → recipient allow-list (401) → verified-token cache, else
//   NEP-413 signature + key ownership (401 Invalid signature) → delegation (401) →
//   nonce ledger for Optional/Required (401 Revoked nonce).

#include <memory>
#include <optional>

#include "api/authenticator.h"
#include "auth/auth_options.h"
#include "auth/ownership_chain.h"
#include "auth/token_cache.h"
#include "db/database.h"

namespace nearhub::auth {

class Authenticator : public api::Authenticator {
 public:
  // Builds the ownership verifiers from `options` (see ownership_factory.h for what it throws).
  Authenticator(AuthOptions options, db::Database& database);

  // Thread-safe.
  std::optional<api::Identity> authenticate(const http::Request& request,
                                            api::AuthPolicy policy) override;

 private:
  // The token behind `credentials` once its signature and key ownership hold (cached).
  Token verify_signer(const std::string& credentials, std::int64_t now_ms);
  void check_recipient(const Token& token) const;
  // The effective account: the signer, or on_behalf_of when the signer may act for it.
  std::string resolve_delegation(db::Session& session, const Token& token) const;
  void record_nonce(db::Session& session, const std::string& account_id, const Token& token) const;

  AuthOptions options_;
  db::Database& database_;
  OwnershipChain ownership_;
  TokenCache verified_tokens_;
};

}  // namespace nearhub::auth
