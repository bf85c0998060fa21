#pragma once
// The schema history, src/db/migrations/NNNN_name.sql, embedded at build time.
// Migration text is portable SQL; a few named tokens stand for what the engines spell
// differently, and drivers replace them before running (see dialect_sql):
//   {{ID_PK}}      auto-increment integer primary key
//   {{BLOB}}       binary column type

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace nearhub::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

const std::vector<Migration>& embedded_migrations();

// Replaces the dialect tokens for `engine` ("sqlite" or "postgres").
std::string dialect_sql(const std::string& sql, std::string_view engine);

// Brings the schema up to date through `session`: creates schema_migrations if needed, then
// applies, in version order, each of `migrations` it does not list yet — each one in its own
// transaction together with its schema_migrations row. Throws db::Error, before applying
// anything, if the database lists a version `migrations` lacks (a newer binary wrote it).
// Returns how many migrations were applied.
std::size_t apply_migrations(Session& session, std::string_view engine,
                             const std::vector<Migration>& migrations);

}  // namespace nearhub::db
