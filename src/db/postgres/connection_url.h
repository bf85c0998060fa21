#pragma once
// Printing a PostgreSQL URL without its password, for start-up errors and logs.

#include <string>
#include <string_view>

namespace nearhub::db::postgres {

// `url` with the password left out of both places a URL may hold one:
// postgres://user:secret@host/db → postgres://user@host/db, and a `password=` query parameter.
std::string redact_url(std::string_view url);

// `message` with every occurrence of a password `url` holds replaced by "***": libpq quotes
// parts of a malformed URL in its error messages.
std::string redact_password(std::string message, std::string_view url);

}  // namespace nearhub::db::postgres
