#pragma once
// The embedded default database: one SQLite file shared by a pool of connections.

#include <memory>
#include <string>

#include "db/database.h"
#include "db/events.h"
#include "db/session_pool.h"
#include "db/sqlite/sqlite_event_bus.h"

namespace nearhub::db::sqlite {

class SqliteDatabase final : public Database {
 public:
  // Creates the file's parent directories, and opens one connection right away so that a bad
  // path fails at start-up rather than on the first request.
  SqliteDatabase(const std::string& path, const DatabaseOptions& options);

  std::string_view engine() const override { return "sqlite"; }
  SessionPtr session() override { return pool_.acquire(); }
  void migrate() override;
  // Reaches the other processes that opened the same file (sqlite_event_bus.h).
  EventBus& events() override { return *events_; }

 private:
  SessionPool pool_;
  std::unique_ptr<SqliteEventBus> events_;  // made once the file's directory exists
};

}  // namespace nearhub::db::sqlite
