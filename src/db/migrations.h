#pragma once
// The schema history, src/db/migrations/NNNN_name.sql, embedded at build time.
// Migration text is portable SQL; a few named tokens stand for what the engines spell
// differently, and drivers replace them before running (see dialect_sql):
//   {{ID_PK}}      auto-increment integer primary key
//   {{BLOB}}       binary column type

#include <string>
#include <vector>

namespace nearhub::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

const std::vector<Migration>& embedded_migrations();

// Replaces the dialect tokens for `engine` ("sqlite" or "postgres").
std::string dialect_sql(const std::string& sql, std::string_view engine);

}  // namespace nearhub::db
