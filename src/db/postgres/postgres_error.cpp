#include "db/postgres/postgres_error.h"

#include <string>

#include "db/database.h"

namespace nearhub::db::postgres {

namespace {

constexpr std::string_view kUniqueViolation = "23505";

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return std::string(text);
}

// The server's primary message and its detail when it sent them; libpq's own text for errors
// raised on the client side (a lost connection, say).
std::string describe(const PGresult* result, PGconn* connection) {
  if (result == nullptr) return trimmed(PQerrorMessage(connection));
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  if (primary == nullptr) return trimmed(PQresultErrorMessage(result));
  std::string message = primary;
  if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
    message += " (";
    message += detail;
    message += ")";
  }
  return message;
}

}  // namespace

ResultHandle checked(PGresult* raw, PGconn* connection, std::string_view sql) {
  ResultHandle result(raw);
  const ExecStatusType status = raw == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(raw);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;

  std::string message = "postgres: " + describe(raw, connection);
  const char* sqlstate = raw == nullptr ? nullptr : PQresultErrorField(raw, PG_DIAG_SQLSTATE);
  if (sqlstate != nullptr) {
    message += " (SQLSTATE ";
    message += sqlstate;
    message += ")";
  }
  message += " in: ";
  message += sql;
  if (sqlstate != nullptr && sqlstate == kUniqueViolation) throw ConstraintError(message);
  throw Error(message);
}

}  // namespace nearhub::db::postgres
