#include "db/sqlite/statement_cache.h"

#include <climits>

#include <spdlog/spdlog.h>

#include "db/database.h"
#include "db/sqlite/sqlite_error.h"

namespace nearhub::db::sqlite {

BorrowedStatement::~BorrowedStatement() {
  if (cached_) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  } else {
    sqlite3_finalize(statement_);
  }
}

StatementCache::~StatementCache() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
}

BorrowedStatement StatementCache::borrow(std::string_view sql) {
  if (auto found = statements_.find(sql); found != statements_.end()) {
    return BorrowedStatement(found->second, true);
  }
  if (sql.size() > INT_MAX) throw Error("SQL statement is too long");
  const bool cache = statements_.size() < kCapacity;
  if (!cache && !warned_full_) {
    spdlog::warn(
        "database: more than {} distinct SQL statements on one connection; "
        "is SQL being built per request? Further ones are not cached",
        kCapacity);
    warned_full_ = true;
  }
  sqlite3_stmt* statement = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v3(connection_, sql.data(), static_cast<int>(sql.size()),
                         cache ? SQLITE_PREPARE_PERSISTENT : 0, &statement, &tail) != SQLITE_OK) {
    throw_last_error(connection_, sql);
  }
  if (statement == nullptr) throw Error("empty SQL statement");
  // SQLite would silently ignore a second statement; the tail may still hold comments.
  const int tail_size = static_cast<int>(sql.data() + sql.size() - tail);
  sqlite3_stmt* second = nullptr;
  if (sqlite3_prepare_v3(connection_, tail, tail_size, 0, &second, nullptr) != SQLITE_OK ||
      second != nullptr) {
    sqlite3_finalize(second);
    sqlite3_finalize(statement);
    throw Error("more than one SQL statement in: " + std::string(sql) +
                " (use execute_script for scripts)");
  }
  if (cache) statements_.emplace(sql, statement);
  return BorrowedStatement(statement, cache);
}

}  // namespace nearhub::db::sqlite
