#include "registry/permission_store.h"

#include "api/error.h"

namespace nearhub::registry {

bool PermissionStore::has(const std::string& account_id, const std::string& permission) {
  return !session_
              .query("SELECT 1 FROM permissions WHERE account_id = ? AND permission = ? LIMIT 1",
                     {account_id, permission})
              .empty();
}

void PermissionStore::grant(const std::string& account_id, const std::string& permission) {
  session_.execute(
      "INSERT INTO permissions (account_id, permission) SELECT ?, ? WHERE NOT EXISTS "
      "(SELECT 1 FROM permissions WHERE account_id = ? AND permission = ?)",
      {account_id, permission, account_id, permission});
}

std::int64_t PermissionStore::revoke(const std::string& account_id, const std::string& permission) {
  if (permission.empty()) {
    return session_.execute("DELETE FROM permissions WHERE account_id = ?", {account_id});
  }
  return session_.execute("DELETE FROM permissions WHERE account_id = ? AND permission = ?",
                          {account_id, permission});
}

void require_permission(db::Session& session, const std::string& account_id,
                        const std::string& permission) {
  if (!PermissionStore(session).has(account_id, permission)) {
    throw api::Error::http(403, "Permission denied. Missing permission `" + permission + "`");
  }
}

}  // namespace nearhub::registry
