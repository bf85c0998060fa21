#pragma once
// SQL of the inference tables (db/migrations/0003_inference.sql): usage rows and rate-limit
// windows. Every statement runs on SQLite and PostgreSQL.

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.h"
#include "inference/usage.h"

namespace nearhub::inference {

class UsageStore {
 public:
  explicit UsageStore(db::Session& session) : session_(session) {}

  void insert(const UsageRow& row);
  std::vector<UsageRow> list_for_account(const std::string& account_id);

  struct Window {
    std::int64_t requests = 0;
    std::int64_t tokens = 0;
  };
  // Adds to an account's window counters (creating the window) and returns the totals, in one
  // atomic INSERT ... ON CONFLICT DO UPDATE so that concurrent processes never lose a count.
  Window add_to_window(const std::string& account_id, std::int64_t window_start,
                       std::int64_t requests, std::int64_t tokens);
  // Drops windows that ended before `before` (Unix ms).
  void delete_windows_before(std::int64_t before);

 private:
  db::Session& session_;
};

}  // namespace nearhub::inference
