#include "db/postgres/postgres_database.h"

#include <exception>

#include <spdlog/spdlog.h>

#include "db/migrations.h"
#include "db/postgres/connect.h"
#include "db/postgres/postgres_session.h"

namespace nearhub::db::postgres {

namespace {

// Readies a returned connection for its next borrower: a lost connection is closed (the pool
// opens a new one on demand), and a transaction left open, or failed, is rolled back.
bool recycle(Session& session) {
  auto& connection = static_cast<PostgresSession&>(session);
  if (connection.is_broken()) {
    spdlog::warn("database: closing a PostgreSQL connection that was lost or broken");
    return false;
  }
  if (connection.in_transaction()) {
    spdlog::warn("database: a connection came back inside a transaction; rolling it back");
    connection.rollback();
  }
  return true;
}

// A session-level advisory lock: a transaction-level one would end with the first of the
// transactions apply_migrations commits.
class MigrationLock {
 public:
  explicit MigrationLock(Session& session) : session_(session) {
    if (session_.query("SELECT pg_try_advisory_lock(?)", {kMigrationLockKey})[0].integer(0)) {
      return;
    }
    spdlog::info("database: another process is migrating this database; waiting for it");
    session_.query("SELECT pg_advisory_lock(?)", {kMigrationLockKey});
  }
  ~MigrationLock() {
    // A lock that cannot be released here (the connection is lost) is released by the
    // server when the connection closes.
    try {
      session_.query("SELECT pg_advisory_unlock(?)", {kMigrationLockKey});
    } catch (const std::exception& error) {
      spdlog::error("database: cannot release the migration lock: {}", error.what());
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  Session& session_;
};

}  // namespace

PostgresDatabase::PostgresDatabase(const std::string& url, const DatabaseOptions& options)
    : pool_(
          options.pool_size, [url] { return PostgresSession::open(url); }, recycle),
      events_(url, pool_) {
  check_url(url);
  pool_.acquire();
}

void PostgresDatabase::migrate() {
  const SessionPtr session = pool_.acquire();
  const MigrationLock lock(*session);
  apply_migrations(*session, engine(), embedded_migrations());
}

}  // namespace nearhub::db::postgres
