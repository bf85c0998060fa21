// Session behaviour stores rely on, the same on both engines.

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/migrations.h"
#include "engine_under_test.h"

namespace nearhub::db {
namespace {

using testing::EngineTest;
using ::testing::HasSubstr;

class SessionTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database({.pool_size = 4});
    session_ = database_->session();
    session_->execute_script(dialect_sql(
        "CREATE TABLE items (id {{ID_PK}}, label TEXT, score DOUBLE PRECISION, data {{BLOB}});"
        "CREATE TABLE tags (item_id BIGINT NOT NULL REFERENCES items (id), tag TEXT,"
        "                   UNIQUE (item_id, tag));",
        engine()));
  }

  std::int64_t item_count() { return session_->query("SELECT COUNT(*) FROM items")[0].integer(0); }

  std::unique_ptr<Database> database_;
  SessionPtr session_;
};

TEST_P(SessionTest, ValuesRoundTrip) {
  const std::string non_ascii = "caf\xC3\xA9 \xF0\x9F\x9A\x80 \xE4\xB8\xAD";
  const Rows rows = session_->query(
      "SELECT CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS DOUBLE PRECISION),"
      "       CAST(? AS DOUBLE PRECISION), CAST(? AS TEXT)",
      {nullptr, std::int64_t{-9'007'199'254'740'993}, std::int64_t{INT64_MIN}, -0.125, 0.1,
       non_ascii});
  ASSERT_EQ(rows.size(), 1u);
  const Row& row = rows[0];
  EXPECT_TRUE(row.is_null(0));
  EXPECT_EQ(row.integer(1), -9'007'199'254'740'993);
  EXPECT_EQ(row.integer(2), INT64_MIN);
  EXPECT_EQ(row.real(3), -0.125);
  EXPECT_EQ(row.real(4), 0.1);  // exactly: rendered and read back in shortest round-trip form
  EXPECT_EQ(row.text(5), non_ascii);
}

TEST_P(SessionTest, ValuesRoundTripThroughATable) {
  const std::string bytes("\0\xFF\x10 \x80", 5);
  session_->execute("INSERT INTO items (id, label, score, data) VALUES (?, ?, ?, ?)",
                    {std::int64_t{-1}, "\xC3\xA9t\xC3\xA9", 1e300, bytes});
  session_->execute("INSERT INTO items (id) VALUES (?)", {INT64_MAX});
  const Rows rows = session_->query("SELECT id, label, score, data FROM items ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].integer(0), -1);
  EXPECT_EQ(rows[0].text(1), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(rows[0].real(2), 1e300);
  EXPECT_EQ(rows[0].text(3), bytes);
  EXPECT_EQ(rows[1].integer(0), INT64_MAX);
  EXPECT_TRUE(rows[1].is_null(1));
  EXPECT_TRUE(rows[1].is_null(2));
  EXPECT_TRUE(rows[1].is_null(3));
}

TEST_P(SessionTest, ReturningGivesTheInsertedRow) {
  const Rows rows =
      session_->query("INSERT INTO items (label) VALUES (?) RETURNING id, label", {"first"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].integer(0), 1);
  EXPECT_EQ(rows[0].text(1), "first");
}

TEST_P(SessionTest, ExecuteCountsChangedRows) {
  EXPECT_EQ(session_->execute("INSERT INTO items (id) VALUES (1), (2), (3)"), 3);
  EXPECT_EQ(session_->execute("UPDATE items SET label = 'x' WHERE id >= ?", {std::int64_t{2}}), 2);
  EXPECT_EQ(session_->execute("DELETE FROM items WHERE id = 99"), 0);
}

TEST_P(SessionTest, OnConflictDoNothingChangesNoRows) {
  EXPECT_EQ(session_->execute("INSERT INTO items (id) VALUES (1) ON CONFLICT DO NOTHING"), 1);
  EXPECT_EQ(session_->execute("INSERT INTO items (id) VALUES (1) ON CONFLICT DO NOTHING"), 0);
}

TEST_P(SessionTest, DuplicateKeysRaiseConstraintError) {
  session_->execute("INSERT INTO items (id) VALUES (1)");
  EXPECT_THROW(session_->execute("INSERT INTO items (id) VALUES (1)"), ConstraintError);
  session_->execute("INSERT INTO tags (item_id, tag) VALUES (1, 'a')");
  EXPECT_THROW(
      session_->execute("INSERT INTO tags (item_id, tag) VALUES (?, ?)", {std::int64_t{1}, "a"}),
      ConstraintError);
}

TEST_P(SessionTest, OtherViolationsAreNotConstraintErrors) {
  try {
    session_->execute("INSERT INTO tags (item_id, tag) VALUES (42, 'a')");  // foreign key
    FAIL() << "expected db::Error";
  } catch (const ConstraintError&) {
    FAIL() << "a foreign key violation is not a duplicate";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("INSERT INTO tags"));
  }
}

TEST_P(SessionTest, ErrorsNameTheMessageAndTheSql) {
  try {
    session_->query("SELECT nope FROM items");
    FAIL() << "expected db::Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("nope"));
    EXPECT_THAT(error.what(), HasSubstr("SELECT nope FROM items"));
  }
}

TEST_P(SessionTest, RejectsWrongParameterCountAndSeveralStatements) {
  EXPECT_THROW(session_->query("SELECT CAST(? AS TEXT), CAST(? AS TEXT)", {"a"}), Error);
  EXPECT_THROW(session_->execute("DELETE FROM items; DELETE FROM tags"), Error);
  EXPECT_NO_THROW(session_->query("SELECT 1; -- a trailing comment"));
}

TEST_P(SessionTest, QuestionMarksInLiteralsAndCommentsAreNotPlaceholders) {
  const Rows rows = session_->query(
      "SELECT 'why?', 'it''s ?', CAST(? AS TEXT) /* ? */, \"label?\" -- ?\n"
      "FROM (SELECT CAST(? AS TEXT) AS \"label?\") AS quoted",
      {"first", "second"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text(0), "why?");
  EXPECT_EQ(rows[0].text(1), "it's ?");
  EXPECT_EQ(rows[0].text(2), "first");
  EXPECT_EQ(rows[0].text(3), "second");
}

TEST_P(SessionTest, TransactionCommits) {
  {
    Transaction transaction(*session_);
    session_->execute("INSERT INTO items (id) VALUES (1)");
    transaction.commit();
  }
  EXPECT_EQ(item_count(), 1);
}

TEST_P(SessionTest, TransactionRollsBackOnException) {
  try {
    Transaction transaction(*session_);
    session_->execute("INSERT INTO items (id) VALUES (1)");
    throw std::runtime_error("handler failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(item_count(), 0);
  Transaction next(*session_);  // the connection is out of the rolled-back transaction
  next.commit();
}

TEST_P(SessionTest, RollbackOutsideATransactionDoesNothing) {
  EXPECT_NO_THROW(session_->rollback());
}

TEST_P(SessionTest, TransactionsDoNotNest) {
  Transaction transaction(*session_);
  EXPECT_THROW(session_->begin(), Error);
}

TEST_P(SessionTest, ConnectionLeftInATransactionIsRolledBackOnReturn) {
  session_->begin();
  session_->execute("INSERT INTO items (id) VALUES (1)");
  session_.reset();  // back to the pool without commit or rollback
  session_ = database_->session();
  EXPECT_EQ(item_count(), 0);
  EXPECT_NO_THROW(Transaction(*session_).commit());
}

TEST_P(SessionTest, AFailedStatementCanRunAgain) {
  session_->execute("INSERT INTO items (id) VALUES (1)");
  const std::string insert = "INSERT INTO items (id) VALUES (?)";
  EXPECT_THROW(session_->execute(insert, {std::int64_t{1}}), ConstraintError);
  EXPECT_EQ(session_->execute(insert, {std::int64_t{2}}), 1);
}

TEST_P(SessionTest, PoolServesSeveralThreads) {
  constexpr int kThreads = 8;
  constexpr int kInsertsPerThread = 25;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kInsertsPerThread; ++i) {
        try {
          const SessionPtr session = database_->session();  // 8 threads share 4 connections
          Transaction transaction(*session);
          session->execute("INSERT INTO items (id, label) VALUES (?, ?)",
                           {std::int64_t{t * 1000 + i}, "thread " + std::to_string(t)});
          transaction.commit();
        } catch (const std::exception& error) {
          ADD_FAILURE() << error.what();
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(item_count(), kThreads * kInsertsPerThread);
}

INSTANTIATE_ENGINE_SUITE(SessionTest);

}  // namespace
}  // namespace nearhub::db
