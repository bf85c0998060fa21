#pragma once
// Opening libpq connections from a postgres:// URL, with start-up errors that say where and
// why, and never the password.

#include <string>

#include "db/postgres/libpq_handles.h"

namespace nearhub::db::postgres {

// Throws db::Error ("invalid PostgreSQL URL ...: <libpq's reason>") if libpq cannot parse
// `url`; checked once up front so a typo is not reported as a failure to connect.
void check_url(const std::string& url);

// Connects, with a 10 s timeout, UTF-8 client encoding, application_name "nearhub" and TCP
// keepalives (30 s idle, 3 probes 10 s apart) unless the URL says otherwise. Throws db::Error
// ("cannot connect to PostgreSQL at <url without password>: <libpq's reason>").
ConnectionHandle connect(const std::string& url);

}  // namespace nearhub::db::postgres
