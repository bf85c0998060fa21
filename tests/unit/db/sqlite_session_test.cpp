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

TEST_F(SqliteSessionTest, ValuesRoundTrip) {
  const std::string text_with_nul("caf\xC3\xA9 \xF0\x9F\x9A\x80\0tail", 14);
  ASSERT_EQ(text_with_nul.size(), 14u);
  const Rows rows =
      session_->query("SELECT ?, ?, ?, ?, ?", {nullptr, std::int64_t{-9'007'199'254'740'993},
                                               std::int64_t{INT64_MIN}, -0.125, text_with_nul});
  ASSERT_EQ(rows.size(), 1u);
  const Row& row = rows[0];
  EXPECT_TRUE(row.is_null(0));
  EXPECT_EQ(row.integer(1), -9'007'199'254'740'993);
  EXPECT_EQ(row.integer(2), INT64_MIN);
  EXPECT_DOUBLE_EQ(row.real(3), -0.125);
  EXPECT_EQ(row.text(4), text_with_nul);
}

TEST_F(SqliteSessionTest, ValuesRoundTripThroughATable) {
  const std::string text_with_nul("a\0b", 3);
  session_->execute("INSERT INTO items (id, label, score) VALUES (?, ?, ?)",
                    {std::int64_t{-1}, text_with_nul, 1e300});
  session_->execute("INSERT INTO items (id, data) VALUES (2, X'00FF10')");
  const Rows rows = session_->query("SELECT id, label, score, data FROM items ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].integer(0), -1);
  EXPECT_EQ(rows[0].text(1), text_with_nul);
  EXPECT_DOUBLE_EQ(rows[0].real(2), 1e300);
  EXPECT_TRUE(rows[0].is_null(3));
  EXPECT_EQ(rows[1].text(3), std::string("\0\xFF\x10", 3));  // a BLOB reads as bytes
}

TEST_F(SqliteSessionTest, ReturningGivesTheInsertedRow) {
  const Rows rows =
      session_->query("INSERT INTO items (label) VALUES (?) RETURNING id, label", {"first"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].integer(0), 1);
  EXPECT_EQ(rows[0].text(1), "first");
}

TEST_F(SqliteSessionTest, ExecuteCountsChangedRows) {
  EXPECT_EQ(session_->execute("INSERT INTO items (id) VALUES (1), (2), (3)"), 3);
  EXPECT_EQ(session_->execute("UPDATE items SET label = 'x' WHERE id >= ?", {std::int64_t{2}}), 2);
  EXPECT_EQ(session_->execute("DELETE FROM items WHERE id = 99"), 0);
}

TEST_F(SqliteSessionTest, OnConflictDoNothingChangesNoRows) {
  EXPECT_EQ(session_->execute("INSERT INTO items (id) VALUES (1) ON CONFLICT DO NOTHING"), 1);
  EXPECT_EQ(session_->execute("INSERT INTO items (id) VALUES (1) ON CONFLICT DO NOTHING"), 0);
}

TEST_F(SqliteSessionTest, DuplicateKeysRaiseConstraintError) {
  session_->execute("INSERT INTO items (id) VALUES (1)");
  EXPECT_THROW(session_->execute("INSERT INTO items (id) VALUES (1)"), ConstraintError);
  session_->execute("INSERT INTO tags (item_id, tag) VALUES (1, 'a')");
  EXPECT_THROW(session_->execute("INSERT INTO tags (item_id, tag) VALUES (1, 'a')"),
               ConstraintError);
}

TEST_F(SqliteSessionTest, OtherViolationsAreNotConstraintErrors) {
  try {
    session_->execute("INSERT INTO tags (item_id, tag) VALUES (42, 'a')");  // foreign key
    FAIL() << "expected db::Error";
  } catch (const ConstraintError&) {
    FAIL() << "a foreign key violation is not a duplicate";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("FOREIGN KEY"));
    EXPECT_THAT(error.what(), HasSubstr("INSERT INTO tags"));
  }
}

TEST_F(SqliteSessionTest, ErrorsNameTheMessageAndTheSql) {
  try {
    session_->query("SELECT nope FROM items");
    FAIL() << "expected db::Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("no such column: nope"));
    EXPECT_THAT(error.what(), HasSubstr("SELECT nope FROM items"));
  }
}

TEST_F(SqliteSessionTest, RejectsWrongParameterCountAndSeveralStatements) {
  EXPECT_THROW(session_->query("SELECT ?, ?", {std::int64_t{1}}), Error);
  EXPECT_THROW(session_->execute("DELETE FROM items; DELETE FROM tags"), Error);
  EXPECT_NO_THROW(session_->query("SELECT 1; -- a trailing comment"));
}

TEST_F(SqliteSessionTest, TransactionCommits) {
  {
    Transaction transaction(*session_);
    session_->execute("INSERT INTO items (id) VALUES (1)");
    transaction.commit();
  }
  EXPECT_EQ(item_count(), 1);
}

TEST_F(SqliteSessionTest, TransactionRollsBackOnException) {
  try {
    Transaction transaction(*session_);
    session_->execute("INSERT INTO items (id) VALUES (1)");
    throw std::runtime_error("handler failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(item_count(), 0);
  EXPECT_FALSE(dynamic_cast<sqlite::SqliteSession&>(*session_).in_transaction());
}

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

TEST_F(SqliteSessionTest, AFailedStatementCanRunAgain) {
  session_->execute("INSERT INTO items (id) VALUES (1)");
  const std::string insert = "INSERT INTO items (id) VALUES (?)";
  EXPECT_THROW(session_->execute(insert, {std::int64_t{1}}), ConstraintError);
  EXPECT_EQ(session_->execute(insert, {std::int64_t{2}}), 1);
}

TEST_F(SqliteSessionTest, ConnectionLeftInATransactionIsRolledBackOnReturn) {
  session_->begin();
  session_->execute("INSERT INTO items (id) VALUES (1)");
  session_.reset();  // back to the pool without commit or rollback
  session_ = database_->session();
  EXPECT_EQ(item_count(), 0);
  EXPECT_FALSE(dynamic_cast<sqlite::SqliteSession&>(*session_).in_transaction());
}

}  // namespace
}  // namespace nearhub::db
