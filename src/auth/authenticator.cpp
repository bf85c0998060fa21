#include "auth/authenticator.h"

#include <algorithm>

#include "api/error.h"
#include "auth/delegation_store.h"
#include "auth/keys.h"
#include "auth/nonce_store.h"
#include "auth/ownership_factory.h"
#include "util/time.h"

namespace nearhub::auth {

Authenticator::Authenticator(AuthOptions options, db::Database& database)
    : options_(std::move(options)),
      database_(database),
      ownership_(make_ownership_verifiers(options_.ownership), options_.ownership_cache_ttl),
      verified_tokens_(options_.token_cache_capacity, options_.token_cache_ttl) {}

std::optional<api::Identity> Authenticator::authenticate(const http::Request& request,
                                                         api::AuthPolicy policy) {
  if (policy == api::AuthPolicy::None) return std::nullopt;
  const auto credentials = find_credentials(request);
  if (!credentials) {
    if (policy == api::AuthPolicy::Optional) return std::nullopt;
    // SignatureOnly too: the original dereferences the missing token and answers 500 ([BUG]).
    throw api::Error::http(403, "Authorization required");
  }

  const Token token = verify_signer(*credentials, util::now_unix_ms());
  const auto session = database_.session();
  const std::string account_id = resolve_delegation(*session, token);
  if (policy != api::AuthPolicy::SignatureOnly) record_nonce(*session, account_id, token);

  return api::Identity{.account_id = account_id,
                       .signer_id = token.account_id,
                       .public_key = token.public_key,
                       .message = token.message,
                       .nonce = token.nonce,
                       .recipient = token.recipient,
                       .callback_url = token.callback_url,
                       .on_behalf_of = token.on_behalf_of,
                       .runner_data = token.runner_data};
}

Token Authenticator::verify_signer(const std::string& credentials, std::int64_t now_ms) {
  if (auto token = verified_tokens_.find(credentials)) {
    // Verified recently, but the nonce may have aged past the limit since.
    check_nonce(token->nonce, now_ms);
    return *token;
  }
  Token token = parse_token(credentials, now_ms);
  check_recipient(token);
  const auto key = PublicKey::parse(token.public_key);
  // Ownership is asked about the canonical key: the original ignores the first 8 characters of
  // the key text, which must not reach a verifier's URL or comparison.
  if (!key || !verify_nep413(token.payload(), token.public_key, token.signature) ||
      !ownership_.owns(token.account_id, key->to_string())) {
    throw api::Error::http(401, "Invalid signature");
  }
  token.public_key = key->to_string();
  verified_tokens_.insert(credentials, token);
  return token;
}

void Authenticator::check_recipient(const Token& token) const {
  const auto& accepted = options_.accepted_recipients;
  if (accepted.empty() ||
      std::find(accepted.begin(), accepted.end(), token.recipient) != accepted.end()) {
    return;
  }
  throw api::Error::http(401,
                         "Token recipient '" + token.recipient + "' is not accepted by this hub");
}

std::string Authenticator::resolve_delegation(db::Session& session, const Token& token) const {
  if (!token.on_behalf_of) return token.account_id;
  const std::string& signer = token.account_id;
  const std::string& target = *token.on_behalf_of;
  const auto delegation = DelegationStore(session).find(target, signer);
  if (!delegation) {
    throw api::Error::http(
        401, signer + " don't have permission to execute action on behalf of " + target + ".");
  }
  // The original compares with the server's naive local clock; timestamps here are UTC.
  if (delegation->expires_at && *delegation->expires_at < util::now_unix_us()) {
    throw api::Error::http(401,
                           signer + " permission to operate on behalf of " + target + " expired.");
  }
  return target;
}

void Authenticator::record_nonce(db::Session& session, const std::string& account_id,
                                 const Token& token) const {
  NonceStore nonces(session);
  auto status = nonces.find_status(account_id, token.nonce);
  if (!status) {
    const bool recorded = nonces.insert_if_absent({.account_id = account_id,
                                                   .nonce = token.nonce,
                                                   .message = token.message,
                                                   .recipient = token.recipient,
                                                   .callback_url = token.callback_url,
                                                   .status = NonceStatus::Active,
                                                   .first_seen_at = util::now_unix_us()});
    // Another request recorded it first; it may have been revoked since.
    if (!recorded) status = nonces.find_status(account_id, token.nonce);
  }
  if (status == NonceStatus::Revoked) throw api::Error::http(401, "Revoked nonce");
}

}  // namespace nearhub::auth
