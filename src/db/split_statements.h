#pragma once
// Splits an SQL script into its statements at the `;` that end them, skipping those inside
// quotes ('…', "…", E'…' with backslash escapes), comments (-- … and nesting /* … */) and
// dollar-quoted bodies ($$ … $$, $tag$ … $tag$). This is PostgreSQL's lexical view; SQLite
// scripts go through sqlite3_prepare's own tail loop instead, which also understands
// CREATE TRIGGER … BEGIN … END bodies.

#include <string_view>
#include <vector>

namespace nearhub::db {

// Returns views into `script`, trimmed of surrounding whitespace and without the final `;`.
// Pieces holding nothing but whitespace and comments are left out.
std::vector<std::string_view> split_statements(std::string_view script);

}  // namespace nearhub::db
