#pragma once
// Stores write portable SQL with `?` placeholders; PostgreSQL numbers its parameters ($1, $2,
// ...). The translation skips `?` inside quoted text and identifiers ('…', E'…', "…"),
// comments (-- …, nesting /* … */) and dollar-quoted bodies ($$ … $$, $tag$ … $tag$).
// PostgreSQL's jsonb operators spelt `?`, `?|` and `?&` therefore cannot appear in store SQL;
// their functions (jsonb_exists, jsonb_exists_any, jsonb_exists_all) can.

#include <string>
#include <string_view>

namespace nearhub::db::postgres {

std::string number_placeholders(std::string_view sql);

}  // namespace nearhub::db::postgres
