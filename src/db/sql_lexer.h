#pragma once
// The one place that knows PostgreSQL's lexical rules for text that is not code: quoted
// strings and identifiers ('…' with '' escapes, E'…' with backslash escapes, "…"), comments
// (-- to the end of the line, nesting /* … */) and dollar-quoted bodies ($$ … $$, $tag$ … $tag$).
// Used to split migration scripts and to number `?` placeholders without looking inside them.

#include <cstddef>
#include <string_view>

namespace nearhub::db {

// The position just past the literal or comment that starts at `i`, or `i` if none does. An
// unterminated one runs to the end of `sql`.
std::size_t skip_literal_or_comment(std::string_view sql, std::size_t i);

// Whether a comment (-- or /*) starts at `i`.
bool starts_comment(std::string_view sql, std::size_t i);

}  // namespace nearhub::db
