#include "db/sqlite/sqlite_error.h"

#include <string>

#include "db/database.h"

namespace nearhub::db::sqlite {

void throw_last_error(sqlite3* connection, std::string_view sql) {
  const int code = sqlite3_extended_errcode(connection);
  std::string message = "sqlite: ";
  message += sqlite3_errmsg(connection);
  message += " (code ";
  message += std::to_string(code);
  message += ") in: ";
  message += sql;
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    throw ConstraintError(message);
  }
  throw Error(message);
}

}  // namespace nearhub::db::sqlite
