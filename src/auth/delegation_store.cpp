#include "auth/delegation_store.h"

namespace nearhub::auth {
namespace {

constexpr const char* kColumns =
    "SELECT id, original_account_id, delegation_account_id, expires_at FROM delegation ";

Delegation read_delegation(const db::Row& row) {
  return {row.integer(0), row.text(1), row.text(2),
          row.is_null(3) ? std::nullopt : std::optional<std::int64_t>(row.integer(3))};
}

db::Value nullable_time(std::optional<std::int64_t> micros) {
  return micros ? db::Value(*micros) : db::Value(nullptr);
}

}  // namespace

std::optional<Delegation> DelegationStore::find(const std::string& original,
                                                const std::string& delegate) {
  const auto rows = session_.query(
      std::string(kColumns) +
          "WHERE original_account_id = ? AND delegation_account_id = ? ORDER BY id DESC LIMIT 1",
      {original, delegate});
  if (rows.empty()) return std::nullopt;
  return read_delegation(rows.front());
}

std::vector<Delegation> DelegationStore::list(const std::string& original) {
  const auto rows = session_.query(
      std::string(kColumns) + "WHERE original_account_id = ? ORDER BY id", {original});
  std::vector<Delegation> delegations;
  delegations.reserve(rows.size());
  for (const auto& row : rows) delegations.push_back(read_delegation(row));
  return delegations;
}

void DelegationStore::replace(const std::string& original, const std::string& delegate,
                              std::optional<std::int64_t> expires_at) {
  db::Transaction transaction(session_);
  remove(original, delegate);
  session_.execute(
      "INSERT INTO delegation (original_account_id, delegation_account_id, expires_at) "
      "VALUES (?, ?, ?)",
      {original, delegate, nullable_time(expires_at)});
  transaction.commit();
}

void DelegationStore::remove(const std::string& original, const std::string& delegate) {
  session_.execute(
      "DELETE FROM delegation WHERE original_account_id = ? AND delegation_account_id = ?",
      {original, delegate});
}

void DelegationStore::remove_all(const std::string& original) {
  session_.execute("DELETE FROM delegation WHERE original_account_id = ?", {original});
}

}  // namespace nearhub::auth
