#pragma once
// Delegations (table `delegation`, spec/platform.md §2.6, §7.5–7.7): the original account lets
// a delegate account act on its behalf, until expires_at. SQL only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"

namespace nearhub::auth {

struct Delegation {
  std::int64_t id = 0;
  std::string original_account_id;
  std::string delegation_account_id;
  std::optional<std::int64_t> expires_at;  // Unix µs; none = never expires
};

class DelegationStore {
 public:
  explicit DelegationStore(db::Session& session) : session_(session) {}

  // The delegation from `original` to `delegate`. The API keeps one row per pair; should there
  // be several, the newest wins.
  std::optional<Delegation> find(const std::string& original, const std::string& delegate);
  // In id order.
  std::vector<Delegation> list(const std::string& original);
  // Replaces every delegation from `original` to `delegate` with one row, atomically. Runs its
  // own transaction, so the session must not be inside one.
  void replace(const std::string& original, const std::string& delegate,
               std::optional<std::int64_t> expires_at);
  void remove(const std::string& original, const std::string& delegate);
  void remove_all(const std::string& original);

 private:
  db::Session& session_;
};

}  // namespace nearhub::auth
