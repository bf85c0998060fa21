#pragma once
// Owning handles for libpq's connection and result objects.

#include <memory>

#include <libpq-fe.h>

namespace nearhub::db::postgres {

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using ConnectionHandle = std::unique_ptr<PGconn, ConnectionCloser>;

struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultHandle = std::unique_ptr<PGresult, ResultClearer>;

}  // namespace nearhub::db::postgres
