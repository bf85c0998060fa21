#pragma once
// OIDs of the built-in types the driver treats specially, as fixed by the server's
// catalog (pg_type.dat); libpq itself does not name them.

#include <libpq-fe.h>

namespace nearhub::db::postgres::type_oid {

constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kNumeric = 1700;

}  // namespace nearhub::db::postgres::type_oid
