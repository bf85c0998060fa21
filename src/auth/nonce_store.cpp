#include "auth/nonce_store.h"

namespace nearhub::auth {
namespace {

NonceStatus parse_status(const std::string& text) {
  return text == "revoked" ? NonceStatus::Revoked : NonceStatus::Active;
}

}  // namespace

std::string to_string(NonceStatus status) {
  return status == NonceStatus::Revoked ? "revoked" : "active";
}

std::optional<NonceStatus> NonceStore::find_status(const std::string& account_id,
                                                   const std::string& nonce) {
  const auto rows = session_.query(
      "SELECT nonce_status FROM nonces WHERE account_id = ? AND nonce = ?", {account_id, nonce});
  if (rows.empty()) return std::nullopt;
  return parse_status(rows.front().text(0));
}

bool NonceStore::insert_if_absent(const NonceRecord& record) {
  return session_.execute(
             "INSERT INTO nonces (account_id, nonce, message, recipient, callback_url, "
             "nonce_status, first_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
             "ON CONFLICT (account_id, nonce) DO NOTHING",
             {record.account_id, record.nonce, record.message, record.recipient,
              db::nullable(record.callback_url), to_string(record.status), record.first_seen_at}) >
         0;
}

std::vector<NonceRecord> NonceStore::list(const std::string& account_id) {
  const auto rows = session_.query(
      "SELECT account_id, nonce, message, recipient, callback_url, nonce_status, first_seen_at "
      "FROM nonces WHERE account_id = ? ORDER BY first_seen_at, nonce",
      {account_id});
  std::vector<NonceRecord> records;
  records.reserve(rows.size());
  for (const auto& row : rows) {
    records.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.optional_text(4),
                       parse_status(row.text(5)), row.integer(6)});
  }
  return records;
}

bool NonceStore::revoke(const std::string& account_id, const std::string& nonce) {
  return session_.execute(
             "UPDATE nonces SET nonce_status = 'revoked' WHERE account_id = ? AND nonce = ?",
             {account_id, nonce}) > 0;
}

std::int64_t NonceStore::revoke_all(const std::string& account_id) {
  return session_.execute(
      "UPDATE nonces SET nonce_status = 'revoked' WHERE account_id = ? AND nonce_status = 'active'",
      {account_id});
}

}  // namespace nearhub::auth
