#pragma once
// One PostgreSQL connection behind db::Session, with a cache of its prepared statements.

#include <memory>
#include <string>
#include <utility>

#include "db/database.h"
#include "db/postgres/libpq_handles.h"
#include "db/postgres/prepared_statements.h"

namespace nearhub::db::postgres {

// Unlike SQLite, PostgreSQL aborts a transaction when one of its statements fails: every
// later statement fails too until rollback. Stores that expect a conflict inside a
// transaction write INSERT ... ON CONFLICT rather than catching db::ConstraintError.
class PostgresSession final : public Session {
 public:
  // Throws db::Error naming the URL (without its password) and libpq's reason.
  static std::unique_ptr<PostgresSession> open(const std::string& url);

  Rows query(std::string_view sql, const std::vector<Value>& params = {}) override;
  std::int64_t execute(std::string_view sql, const std::vector<Value>& params = {}) override;
  // Runs the statements one by one (split by db::split_statements) with the simple query
  // protocol, so an error names the statement that failed.
  void execute_script(std::string_view sql) override;
  // Throws inside a transaction, as SQLite does: PostgreSQL would only warn.
  void begin() override;
  // Throws if PostgreSQL rolled the transaction back instead (a statement in it had failed).
  void commit() override;
  // Does nothing outside a transaction.
  void rollback() override;

  bool in_transaction() const;
  // The connection was lost or is in a state no borrower can use: close it.
  bool is_broken() const;
  std::size_t cached_statement_count() const { return statements_.size(); }

 private:
  explicit PostgresSession(ConnectionHandle connection)
      : connection_(std::move(connection)), statements_(connection_.get()) {}

  ResultHandle run_prepared(std::string_view sql, const std::vector<Value>& params);
  ResultHandle run_simple(std::string_view sql);

  ConnectionHandle connection_;
  PreparedStatements statements_;
};

}  // namespace nearhub::db::postgres
