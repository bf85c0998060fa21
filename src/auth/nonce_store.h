#pragma once
// The nonce ledger (table `nonces`, spec/platform.md §2.7, §5, §10.4): every token nonce seen
// per account, and whether it was revoked. SQL only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"

namespace nearhub::auth {

enum class NonceStatus { Active, Revoked };

// "active" / "revoked", as stored and as /v1/nonce/list shows it.
std::string to_string(NonceStatus status);

struct NonceRecord {
  std::string account_id;
  std::string nonce;  // zero-padded, 32 characters
  std::string message;
  std::string recipient;
  std::optional<std::string> callback_url;
  NonceStatus status = NonceStatus::Active;
  std::int64_t first_seen_at = 0;  // Unix µs
};

class NonceStore {
 public:
  explicit NonceStore(db::Session& session) : session_(session) {}

  std::optional<NonceStatus> find_status(const std::string& account_id, const std::string& nonce);
  // Records an active nonce unless the account already has it; true when recorded. Concurrent
  // first uses of one token are not an error ([BUG] fix of §2.7).
  bool insert_if_absent(const NonceRecord& record);
  // Oldest first.
  std::vector<NonceRecord> list(const std::string& account_id);
  // True when the account has that nonce (now revoked). An unknown nonce is not recorded, so it
  // stays usable ([QUIRK] of §5.1).
  bool revoke(const std::string& account_id, const std::string& nonce);
  // The number of nonces revoked.
  std::int64_t revoke_all(const std::string& account_id);

 private:
  db::Session& session_;
};

}  // namespace nearhub::auth
