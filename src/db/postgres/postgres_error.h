#pragma once
// Turns libpq's outcome of a statement into db::Error, or db::ConstraintError for the unique
// violations (SQLSTATE 23505) that services answer with a 4xx.

#include <string_view>

#include <libpq-fe.h>

#include "db/postgres/libpq_handles.h"

namespace nearhub::db::postgres {

// Takes ownership of `result` (which may be null when libpq ran out of memory or lost the
// connection) and returns it if the statement succeeded; otherwise throws an error naming
// the server's message and `sql`.
ResultHandle checked(PGresult* result, PGconn* connection, std::string_view sql);

}  // namespace nearhub::db::postgres
