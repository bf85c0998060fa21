// db::open: picks the driver from the database URL.

#include <memory>
#include <string>
#include <string_view>

#include "db/database.h"
#include "db/postgres/postgres_database.h"
#include "db/sqlite/sqlite_database.h"

namespace nearhub::db {

namespace {

std::unique_ptr<Database> open_sqlite(std::string_view path, const DatabaseOptions& options) {
  if (path.empty()) throw Error("the SQLite database URL names no file");
  // Every pooled connection would get its own empty in-memory database.
  if (path == ":memory:") throw Error("an in-memory SQLite database is not supported");
  return std::make_unique<sqlite::SqliteDatabase>(std::string(path), options);
}

}  // namespace

std::unique_ptr<Database> open(const std::string& url, const DatabaseOptions& options) {
  const std::string_view text = url;
  if (text.starts_with("postgres://") || text.starts_with("postgresql://")) {
    return std::make_unique<postgres::PostgresDatabase>(url, options);
  }
  // "sqlite://" before "sqlite:": sqlite:///abs/path and sqlite:relative/path both name a file.
  for (const std::string_view prefix : {"sqlite://", "sqlite:"}) {
    if (text.starts_with(prefix)) return open_sqlite(text.substr(prefix.size()), options);
  }
  if (const std::size_t scheme_end = text.find("://"); scheme_end != std::string_view::npos) {
    throw Error("unsupported database URL scheme '" + std::string(text.substr(0, scheme_end)) +
                "' (use sqlite:PATH, a plain path, or postgres://...)");
  }
  if (text.empty()) throw Error("no database URL given");
  return open_sqlite(text, options);
}

}  // namespace nearhub::db
