#pragma once
// One SQLite connection behind db::Session: WAL journal, foreign keys on, a busy timeout, and
// a cache of its prepared statements.

#include <memory>
#include <string>

#include <sqlite3.h>

#include "db/database.h"
#include "db/sqlite/statement_cache.h"

namespace nearhub::db::sqlite {

class SqliteSession final : public Session {
 public:
  // Opens (creating if needed) the database file at `path`; throws db::Error on failure.
  static std::unique_ptr<SqliteSession> open(const std::string& path, int busy_timeout_ms);

  Rows query(std::string_view sql, const std::vector<Value>& params = {}) override;
  std::int64_t execute(std::string_view sql, const std::vector<Value>& params = {}) override;
  void execute_script(std::string_view sql) override;
  // BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that reads, then
  // writes, can fail with SQLITE_BUSY mid-way, which no busy timeout can wait out.
  void begin() override;
  void commit() override;
  // Does nothing outside a transaction: SQLite ends some on its own after an error.
  void rollback() override;

  bool in_transaction() const { return !sqlite3_get_autocommit(connection_.get()); }
  std::size_t cached_statement_count() const { return statements_.size(); }

 private:
  struct Closer {
    void operator()(sqlite3* connection) const { sqlite3_close_v2(connection); }
  };

  explicit SqliteSession(sqlite3* connection) : connection_(connection), statements_(connection) {}

  // Declared in this order so that cached statements are finalized before the connection
  // closes.
  std::unique_ptr<sqlite3, Closer> connection_;
  StatementCache statements_;
};

}  // namespace nearhub::db::sqlite
