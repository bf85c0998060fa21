#pragma once
// The prepared statements of one SQLite connection, keyed by their SQL text, so a statement a
// store runs on every request is parsed once per connection rather than once per request.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

namespace nearhub::db::sqlite {

// A statement lent for one execution; resets it and clears its bindings when it goes out of
// scope (or finalizes it, when it was too many to cache).
class BorrowedStatement {
 public:
  BorrowedStatement(sqlite3_stmt* statement, bool cached)
      : statement_(statement), cached_(cached) {}
  ~BorrowedStatement();
  BorrowedStatement(const BorrowedStatement&) = delete;
  BorrowedStatement& operator=(const BorrowedStatement&) = delete;
  sqlite3_stmt* get() const { return statement_; }

 private:
  sqlite3_stmt* statement_;
  bool cached_;
};

class StatementCache {
 public:
  // Stores write their SQL as constants, so a few hundred distinct statements is plenty; past
  // this, SQL is being built per request and caching it would only grow memory.
  static constexpr std::size_t kCapacity = 1000;

  explicit StatementCache(sqlite3* connection) : connection_(connection) {}
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // Prepares `sql` on first use; throws db::Error if it does not compile.
  BorrowedStatement borrow(std::string_view sql);
  std::size_t size() const { return statements_.size(); }

 private:
  // Lets find() take a string_view without building a std::string per lookup.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };

  sqlite3* connection_;
  bool warned_full_ = false;
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> statements_;
};

}  // namespace nearhub::db::sqlite
