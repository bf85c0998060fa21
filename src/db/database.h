#pragma once
// The database seen by stores: sessions that run portable SQL with `?` placeholders.
// SQLite (db/sqlite/) is the embedded default; PostgreSQL (db/postgres/) fits behind the same
// interfaces. Stores write SQL once; anything engine-specific lives in the drivers.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace nearhub::db {

class EventBus;  // db/events.h

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// Builds a Value from an optional text (nullopt → NULL).
Value nullable(const std::optional<std::string>& text);

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool is_null(std::size_t column) const;
  std::int64_t integer(std::size_t column) const;  // throws db::Error if not an integer
  double real(std::size_t column) const;
  const std::string& text(std::size_t column) const;  // throws db::Error if not text
  std::optional<std::string> optional_text(std::size_t column) const;
  const Value& value(std::size_t column) const { return values_.at(column); }

 private:
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// A UNIQUE or PRIMARY KEY violation: services turn it into the endpoint's 4xx.
class ConstraintError : public Error {
 public:
  using Error::Error;
};

// One connection. Not thread-safe: a session belongs to one request at a time.
class Session {
 public:
  virtual ~Session() = default;
  // Runs a statement and returns its rows (also for INSERT ... RETURNING).
  // Statements are prepared once per connection and cached.
  virtual Rows query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs a statement and returns the number of rows it changed.
  virtual std::int64_t execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs a script of `;`-separated statements without parameters and without caching them
  // (migrations). Each driver splits it the way its engine parses.
  virtual void execute_script(std::string_view sql) = 0;
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

// Returns the connection to its pool when it goes out of scope. The Database must outlive it.
using SessionPtr = std::unique_ptr<Session, std::function<void(Session*)>>;

// Begins on construction, rolls back on destruction unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Session& session) : session_(session) { session_.begin(); }
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Session& session_;
  bool done_ = false;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual std::string_view engine() const = 0;  // "sqlite" or "postgres"
  // Borrows a connection; blocks while every pooled connection is in use.
  virtual SessionPtr session() = 0;
  // Applies embedded migrations that have not run yet (db/migrations.h).
  virtual void migrate() = 0;
  // Publish/subscribe between writers and waiters, across processes on PostgreSQL.
  virtual EventBus& events() = 0;
};

struct DatabaseOptions {
  std::size_t pool_size = 8;
  int busy_timeout_ms = 5000;
};

// Opens the database named by `url`: "postgres://..." / "postgresql://..." for PostgreSQL,
// "sqlite:PATH" or a plain PATH for SQLite. Throws db::Error with a clear message on failure.
std::unique_ptr<Database> open(const std::string& url, const DatabaseOptions& options = {});

}  // namespace nearhub::db
