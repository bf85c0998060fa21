#include "db/sqlite/sqlite_database.h"

#include <filesystem>
#include <system_error>

#include <spdlog/spdlog.h>

#include "db/migrations.h"
#include "db/sqlite/sqlite_session.h"

namespace nearhub::db::sqlite {

namespace {

void create_parent_directories(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    throw Error("cannot create directory " + parent.string() +
                " for the SQLite database: " + error.message());
  }
}

// A store that began a transaction without db::Transaction and then threw would otherwise
// hand the next borrower a connection holding the write lock.
bool recycle(Session& session) {
  auto& connection = static_cast<SqliteSession&>(session);
  if (connection.in_transaction()) {
    spdlog::warn("database: a connection came back inside a transaction; rolling it back");
    connection.rollback();
  }
  return true;
}

}  // namespace

SqliteDatabase::SqliteDatabase(const std::string& path, const DatabaseOptions& options)
    : pool_(
          options.pool_size,
          [path, busy_timeout_ms = options.busy_timeout_ms] {
            create_parent_directories(path);
            return SqliteSession::open(path, busy_timeout_ms);
          },
          recycle) {
  pool_.acquire();
  events_ = std::make_unique<SqliteEventBus>(std::filesystem::absolute(path).string());
}

void SqliteDatabase::migrate() {
  const SessionPtr session = pool_.acquire();
  apply_migrations(*session, engine(), embedded_migrations());
}

}  // namespace nearhub::db::sqlite
