#include "db/postgres/connect.h"

#include <string_view>

#include <spdlog/spdlog.h>

#include "db/database.h"
#include "db/postgres/connection_url.h"

namespace nearhub::db::postgres {

namespace {

// libpq's messages span lines (a hint on a tab-indented second line, one line per address
// tried); an error message reads better on one.
std::string one_line(std::string_view message) {
  std::string line;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] != '\n') {
      line += message[i];
    } else if (i + 1 < message.size()) {
      line += message[i + 1] == '\t' ? " " : "; ";
      if (message[i + 1] == '\t') ++i;
    }
  }
  return line;
}

// Without a processor libpq prints the server's notices ("relation already exists,
// skipping" and the like) to stderr.
void log_notice(void*, const char* message) { spdlog::debug("postgres: {}", one_line(message)); }

}  // namespace

void check_url(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options != nullptr) {
    PQconninfoFree(options);
    return;
  }
  const std::string reason = error != nullptr ? one_line(error) : "out of memory";
  PQfreemem(error);
  throw Error("invalid PostgreSQL URL " + redact_url(url) + ": " + redact_password(reason, url));
}

ConnectionHandle connect(const std::string& url) {
  // libpq takes the last value given for each keyword, and the URL's values stand where
  // dbname does: defaults go before it so that the URL can override them. TCP keepalives
  // notice a server that vanished without closing the connection (the event listener waits
  // on its socket indefinitely) within about a minute instead of the kernel's two hours.
  const char* const keywords[] = {
      "connect_timeout",     "client_encoding",  "application_name", "keepalives_idle",
      "keepalives_interval", "keepalives_count", "dbname",           nullptr};
  const char* const values[] = {"10", "UTF8", "nearhub", "30", "10", "3", url.c_str(), nullptr};
  ConnectionHandle connection(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (connection == nullptr) throw Error("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    throw Error("cannot connect to PostgreSQL at " + redact_url(url) + ": " +
                redact_password(one_line(PQerrorMessage(connection.get())), url));
  }
  PQsetNoticeProcessor(connection.get(), log_notice, nullptr);
  return connection;
}

}  // namespace nearhub::db::postgres
