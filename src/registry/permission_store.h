#pragma once
// Account permissions (table `permissions` of 0001_auth.sql, spec/platform.md §2.9, §7.3–7.4):
// `update_permission`, `submit_job`, `worker`, or any other string an admin grants. SQL only.
// Lives here with the grant/revoke endpoints; other areas ask through has_permission().

#include <string>

#include "db/database.h"

namespace nearhub::registry {

class PermissionStore {
 public:
  explicit PermissionStore(db::Session& session) : session_(session) {}

  bool has(const std::string& account_id, const std::string& permission);
  // Adds the row unless the account already holds the permission (the original stores
  // duplicates; one row means the same and keeps revoke simple).
  void grant(const std::string& account_id, const std::string& permission);
  // Removes (account_id, permission), or every permission of the account when `permission` is
  // empty. Returns the number of rows removed.
  std::int64_t revoke(const std::string& account_id, const std::string& permission);

 private:
  db::Session& session_;
};

// Throws api::Error 403 "Permission denied. Missing permission `P`" unless `account_id` holds
// `permission` (the permission:P auth level of spec §2.9).
void require_permission(db::Session& session, const std::string& account_id,
                        const std::string& permission);

}  // namespace nearhub::registry
