// What only the PostgreSQL driver does: its type conversions, statement cache, aborted
// transactions, lost connections and the migration lock.

#include <chrono>
#include <future>
#include <limits>
#include <optional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/migrations.h"
#include "db/postgres/postgres_database.h"
#include "db/postgres/postgres_session.h"
#include "support/postgres_test_schema.h"

namespace nearhub::db {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::PostgresTestSchema;

class PostgresSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::optional<std::string> base_url = testing::postgres_test_url();
    if (!base_url) GTEST_SKIP() << testing::kPostgresUnavailable;
    schema_.emplace(*base_url);
    database_ = open(schema_->url(), {.pool_size = 2});
    session_ = database_->session();
    session_->execute_script("CREATE TABLE items (id BIGINT PRIMARY KEY, data BYTEA)");
  }

  postgres::PostgresSession& driver_session() {
    return dynamic_cast<postgres::PostgresSession&>(*session_);
  }
  std::int64_t item_count() { return session_->query("SELECT COUNT(*) FROM items")[0].integer(0); }

  // Declared first so that it is dropped after the database closes its connections.
  std::optional<PostgresTestSchema> schema_;
  std::unique_ptr<Database> database_;
  SessionPtr session_;
};

TEST_F(PostgresSessionTest, IsThePostgresEngine) { EXPECT_EQ(database_->engine(), "postgres"); }

TEST_F(PostgresSessionTest, ConvertsBooleansNumericsAndFloats) {
  const Row row = session_->query(
      "SELECT true, false, 12345678901234::numeric, 2.5::numeric, 1.5::real, "
      "'Infinity'::float8, 7::smallint, SUM(x), AVG(x) FROM (VALUES (1), (2)) AS t (x)")[0];
  EXPECT_EQ(row.integer(0), 1);
  EXPECT_EQ(row.integer(1), 0);
  EXPECT_EQ(row.integer(2), 12345678901234);  // a whole numeric reads as an integer
  EXPECT_EQ(row.real(3), 2.5);
  EXPECT_EQ(row.real(4), 1.5);
  EXPECT_EQ(row.real(5), std::numeric_limits<double>::infinity());
  EXPECT_EQ(row.integer(6), 7);
  EXPECT_EQ(row.integer(7), 3);  // SUM of integers is numeric on PostgreSQL
  EXPECT_EQ(row.real(8), 1.5);
}

TEST_F(PostgresSessionTest, ByteaParametersAndResultsAreRawBytes) {
  const std::string bytes("\0\x01\xFF\\x", 5);
  session_->execute("INSERT INTO items (id, data) VALUES (?, ?)", {std::int64_t{1}, bytes});
  const Row row =
      session_->query("SELECT data, length(data), '\\x00ff'::bytea FROM items WHERE id = 1")[0];
  EXPECT_EQ(row.text(0), bytes);
  EXPECT_EQ(row.integer(1), 5);
  EXPECT_EQ(row.text(2), std::string("\0\xFF", 2));
}

TEST_F(PostgresSessionTest, RefusesTextWithANulByteClearly) {
  try {
    session_->query("SELECT CAST(? AS TEXT)", {std::string("a\0b", 3)});
    FAIL() << "expected db::Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("NUL"));
  }
}

TEST_F(PostgresSessionTest, NumbersPlaceholdersAroundDollarQuotesAndComments) {
  const Row row =
      session_->query("SELECT $$?$$, $tag$ ' ? $tag$, E'\\' ?', CAST(? AS BIGINT) /* /* ? */ */",
                      {std::int64_t{5}})[0];
  EXPECT_EQ(row.text(0), "?");
  EXPECT_EQ(row.text(1), " ' ? ");
  EXPECT_EQ(row.text(2), "' ?");
  EXPECT_EQ(row.integer(3), 5);
}

TEST_F(PostgresSessionTest, PreparesEachStatementOncePerConnection) {
  const std::size_t before = driver_session().cached_statement_count();
  for (std::int64_t id = 0; id < 200; ++id) {
    session_->execute("INSERT INTO items (id) VALUES (?)", {id});
    ASSERT_EQ(session_->query("SELECT id FROM items WHERE id = ?", {id})[0].integer(0), id);
  }
  EXPECT_EQ(driver_session().cached_statement_count(), before + 2);
  EXPECT_EQ(item_count(), 200);
}

TEST_F(PostgresSessionTest, AnErrorAbortsTheTransactionAndCommitSaysSo) {
  session_->begin();
  session_->execute("INSERT INTO items (id) VALUES (1)");
  EXPECT_THROW(session_->execute("INSERT INTO items (id) VALUES (1)"), ConstraintError);
  EXPECT_THAT([&] { session_->execute("INSERT INTO items (id) VALUES (2)"); },
              ::testing::ThrowsMessage<Error>(HasSubstr("aborted")));
  EXPECT_THAT([&] { session_->commit(); },
              ::testing::ThrowsMessage<Error>(HasSubstr("rolled back")));
  EXPECT_FALSE(driver_session().in_transaction());
  EXPECT_EQ(item_count(), 0);
}

TEST_F(PostgresSessionTest, ALostConnectionIsReplaced) {
  const std::int64_t lost_pid = session_->query("SELECT pg_backend_pid()")[0].integer(0);
  {
    const SessionPtr other = database_->session();
    other->query("SELECT pg_terminate_backend(?)", {lost_pid});
  }
  EXPECT_THROW(session_->query("SELECT 1"), Error);
  EXPECT_TRUE(driver_session().is_broken());
  session_.reset();  // the pool closes it

  // Both pooled connections in hand: the one that replaced the lost one, and the other.
  const SessionPtr first = database_->session();
  const SessionPtr second = database_->session();
  for (Session* session : {first.get(), second.get()}) {
    EXPECT_NE(session->query("SELECT pg_backend_pid()")[0].integer(0), lost_pid);
  }
}

TEST_F(PostgresSessionTest, MigrationWaitsForTheLockHolder) {
  const SessionPtr holder = database_->session();
  holder->query("SELECT pg_advisory_lock(?)", {postgres::kMigrationLockKey});
  std::unique_ptr<Database> other = open(schema_->url(), {.pool_size = 1});
  auto migration = std::async(std::launch::async, [&] { other->migrate(); });
  EXPECT_EQ(migration.wait_for(300ms), std::future_status::timeout);
  holder->query("SELECT pg_advisory_unlock(?)", {postgres::kMigrationLockKey});
  migration.get();
  EXPECT_EQ(session_->query("SELECT COUNT(*) FROM schema_migrations")[0].integer(0),
            static_cast<std::int64_t>(embedded_migrations().size()));
}

}  // namespace
}  // namespace nearhub::db
