#pragma once
// The prepared statements of one PostgreSQL connection, keyed by the SQL text stores wrote
// (with `?` placeholders), so a statement a store runs on every request is translated,
// parsed and planned once per connection rather than once per request.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <libpq-fe.h>

namespace nearhub::db::postgres {

struct PreparedStatement {
  std::string name;                    // s1, s2, ...; empty for the unnamed, uncached one
  std::vector<int> parameter_formats;  // per parameter: 1 (binary) for BYTEA, else 0 (text)
};

class PreparedStatements {
 public:
  // As for SQLite: stores write SQL as constants, so past this many SQL is being built per
  // request, and caching it would only grow memory on both ends of the connection.
  static constexpr std::size_t kCapacity = 1000;

  explicit PreparedStatements(PGconn* connection) : connection_(connection) {}

  // Prepares `sql` on first use (PQprepare, then PQdescribePrepared for its parameter types);
  // throws db::Error if it does not compile. The reference is valid until the next call.
  const PreparedStatement& prepare(std::string_view sql);
  std::size_t size() const { return statements_.size(); }

 private:
  // Lets find() take a string_view without building a std::string per lookup.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  PreparedStatement prepare_as(std::string name, std::string_view sql);

  PGconn* connection_;
  std::size_t named_count_ = 0;
  bool warned_full_ = false;
  std::unordered_map<std::string, PreparedStatement, TextHash, std::equal_to<>> statements_;
  PreparedStatement unnamed_;
};

}  // namespace nearhub::db::postgres
