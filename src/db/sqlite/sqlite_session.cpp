#include "db/sqlite/sqlite_session.h"

#include <climits>
#include <string>

#include "db/sqlite/sqlite_error.h"

namespace nearhub::db::sqlite {

namespace {

// Binds without copying: the parameters outlive the statement's execution, and the
// BorrowedStatement clears the bindings afterwards. Text goes with its length, so embedded
// NUL bytes survive.
void bind(sqlite3* connection, sqlite3_stmt* statement, std::string_view sql,
          const std::vector<Value>& params) {
  const int expected = sqlite3_bind_parameter_count(statement);
  if (static_cast<std::size_t>(expected) != params.size()) {
    throw Error("statement takes " + std::to_string(expected) + " parameters, got " +
                std::to_string(params.size()) + ": " + std::string(sql));
  }
  for (int index = 1; index <= expected; ++index) {
    const Value& value = params[index - 1];
    int result = SQLITE_OK;
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      result = sqlite3_bind_int64(statement, index, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      result = sqlite3_bind_double(statement, index, *real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      result = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_STATIC,
                                   SQLITE_UTF8);
    } else {
      result = sqlite3_bind_null(statement, index);
    }
    if (result != SQLITE_OK) throw_last_error(connection, sql);
  }
}

Value column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return std::int64_t{sqlite3_column_int64(statement, column)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, column);
    case SQLITE_NULL:
      return nullptr;
    case SQLITE_TEXT: {
      // The text pointer first, then its size: that order reports the size of what was read.
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
    }
    default: {  // SQLITE_BLOB; an empty blob comes back as a null pointer
      const auto* blob = static_cast<const char*>(sqlite3_column_blob(statement, column));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
      return blob == nullptr ? std::string() : std::string(blob, size);
    }
  }
}

Row read_row(sqlite3_stmt* statement, int columns) {
  std::vector<Value> values;
  values.reserve(static_cast<std::size_t>(columns));
  for (int column = 0; column < columns; ++column) {
    values.push_back(column_value(statement, column));
  }
  return Row(std::move(values));
}

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

}  // namespace

std::unique_ptr<SqliteSession> SqliteSession::open(const std::string& path, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  // NOMUTEX: a session is used by one thread at a time, so SQLite's own locking is overhead.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int opened = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<SqliteSession> session(new SqliteSession(raw));
  if (opened != SQLITE_OK) {
    throw Error("cannot open SQLite database " + path + ": " +
                (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(opened)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);

  const Rows mode = session->query("PRAGMA journal_mode = WAL");
  if (mode.empty() || mode.front().text(0) != "wal") {
    throw Error("cannot use write-ahead logging for SQLite database " + path +
                " (is it on a network file system?)");
  }
  // synchronous=NORMAL is durable against crashes of the process, and in WAL mode loses at
  // most the last transactions on power loss, never consistency.
  session->execute_script("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL");
  return session;
}

Rows SqliteSession::query(std::string_view sql, const std::vector<Value>& params) {
  const BorrowedStatement statement = statements_.borrow(sql);
  sqlite3_stmt* raw = statement.get();
  bind(connection_.get(), raw, sql, params);
  const int columns = sqlite3_column_count(raw);
  Rows rows;
  int result;
  while ((result = sqlite3_step(raw)) == SQLITE_ROW) rows.push_back(read_row(raw, columns));
  if (result != SQLITE_DONE) throw_last_error(connection_.get(), sql);
  return rows;
}

std::int64_t SqliteSession::execute(std::string_view sql, const std::vector<Value>& params) {
  const BorrowedStatement statement = statements_.borrow(sql);
  sqlite3_stmt* raw = statement.get();
  bind(connection_.get(), raw, sql, params);
  int result;
  while ((result = sqlite3_step(raw)) == SQLITE_ROW) {
  }
  if (result != SQLITE_DONE) throw_last_error(connection_.get(), sql);
  return sqlite3_changes64(connection_.get());
}

// Prepares and runs one statement at a time, each after the previous has run, so later
// statements can use the tables earlier ones created.
void SqliteSession::execute_script(std::string_view sql) {
  if (sql.size() > INT_MAX) throw Error("SQL script is too long");
  const char* rest = sql.data();
  const char* const end = sql.data() + sql.size();
  while (rest != end) {
    sqlite3_stmt* raw = nullptr;
    const char* next = nullptr;
    if (sqlite3_prepare_v3(connection_.get(), rest, static_cast<int>(end - rest), 0, &raw, &next) !=
        SQLITE_OK) {
      throw_last_error(connection_.get(), std::string_view(rest, end - rest));
    }
    const std::unique_ptr<sqlite3_stmt, StatementFinalizer> statement(raw);
    if (next == rest) break;  // SQLite consumed nothing: stop rather than loop forever
    const std::string_view text(rest, next - rest);
    rest = next;
    if (raw == nullptr) continue;  // a comment or an empty statement
    int result;
    while ((result = sqlite3_step(raw)) == SQLITE_ROW) {
    }
    if (result != SQLITE_DONE) throw_last_error(connection_.get(), text);
  }
}

void SqliteSession::begin() { execute("BEGIN IMMEDIATE"); }

void SqliteSession::commit() { execute("COMMIT"); }

void SqliteSession::rollback() {
  if (in_transaction()) execute("ROLLBACK");
}

}  // namespace nearhub::db::sqlite
