#pragma once
// The scale-out database: a pool of connections to one PostgreSQL database, which several
// nearhub processes may share.

#include <cstdint>
#include <string>

#include "db/database.h"
#include "db/postgres/postgres_event_bus.h"
#include "db/session_pool.h"

namespace nearhub::db::postgres {

// The key of the session-level advisory lock migrate() holds: "nearhub" in ASCII. Advisory
// locks are per database, so every process sharing the database contends for this one.
inline constexpr std::int64_t kMigrationLockKey = 0x6e'65'61'72'68'75'62;

class PostgresDatabase final : public Database {
 public:
  // Checks the URL and opens one connection right away, so that a bad URL, an unreachable
  // server, a missing database or refused credentials fail at start-up with a clear message.
  PostgresDatabase(const std::string& url, const DatabaseOptions& options);

  std::string_view engine() const override { return "postgres"; }
  SessionPtr session() override { return pool_.acquire(); }
  // Holds an advisory lock while migrating, so that processes starting together apply each
  // migration once, one after the other.
  void migrate() override;
  EventBus& events() override { return events_; }

 private:
  SessionPool pool_;
  PostgresEventBus events_;  // after pool_, which it publishes on
};

}  // namespace nearhub::db::postgres
