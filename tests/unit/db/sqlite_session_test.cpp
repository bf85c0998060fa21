#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/sqlite/sqlite_session.h"
#include "temp_directory.h"

namespace nearhub::db {
namespace {

using ::testing::HasSubstr;
using testing::TempDirectory;

class SqliteSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    session_->execute_script(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT, score REAL, data BLOB);"
        "CREATE TABLE tags (item_id INTEGER NOT NULL REFERENCES items (id), tag TEXT,"
        "                   UNIQUE (item_id, tag));");
  }

  std::int64_t item_count() { return session_->query("SELECT COUNT(*) FROM items")[0].integer(0); }

  TempDirectory dir_;
  std::unique_ptr<Database> database_ = open(dir_.file("hub.db"));
  SessionPtr session_ = database_->session();
};

TEST_F(SqliteSessionTest, TransactionSurvivesAStatementError) {
  Transaction transaction(*session_);
  session_->execute("INSERT INTO items (id) VALUES (1)");
  EXPECT_THROW(session_->execute("INSERT INTO items (id) VALUES (1)"), ConstraintError);
  session_->execute("INSERT INTO items (id) VALUES (2)");
  transaction.commit();
  EXPECT_EQ(item_count(), 2);
}

TEST_F(SqliteSessionTest, ReusesCachedStatements) {
  auto& sqlite = dynamic_cast<sqlite::SqliteSession&>(*session_);
  const std::size_t before = sqlite.cached_statement_count();
  for (std::int64_t id = 0; id < 1000; ++id) {
    session_->execute("INSERT INTO items (id, label) VALUES (?, ?)", {id, "x"});
    ASSERT_EQ(session_->query("SELECT label FROM items WHERE id = ?", {id})[0].text(0), "x");
  }
  EXPECT_EQ(sqlite.cached_statement_count(), before + 2);
  EXPECT_EQ(item_count(), 1000);
}

}  // namespace
}  // namespace nearhub::db
