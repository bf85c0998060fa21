#pragma once
// Turns the last error of an SQLite connection into db::Error, or db::ConstraintError for the
// UNIQUE and PRIMARY KEY violations that services answer with a 4xx.

#include <string_view>

#include <sqlite3.h>

namespace nearhub::db::sqlite {

[[noreturn]] void throw_last_error(sqlite3* connection, std::string_view sql);

}  // namespace nearhub::db::sqlite
