#pragma once
// Reads a libpq result (text format) into db::Rows, typed by each column's type OID:
//   int2, int4, int8               → int64
//   float4, float8                 → double
//   numeric                        → int64 when the value is a whole number that fits (as
//                                    SUM and COUNT of integers are on SQLite), else double
//   bool                           → int64 0 or 1 (SQLite has no booleans; stores stay portable)
//   bytea                          → the raw bytes, as text
//   NULL                           → nullptr
//   anything else                  → the server's text

#include <libpq-fe.h>

#include "db/database.h"

namespace nearhub::db::postgres {

Rows read_rows(const PGresult* result);

}  // namespace nearhub::db::postgres
