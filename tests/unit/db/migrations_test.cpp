#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/migrations.h"
#include "temp_directory.h"

namespace nearhub::db {
namespace {

using ::testing::HasSubstr;
using testing::TempDirectory;

class MigrationsTest : public ::testing::Test {
 protected:
  std::int64_t count(Session& session, const std::string& table) {
    return session.query("SELECT COUNT(*) FROM " + table)[0].integer(0);
  }

  TempDirectory dir_;
  std::unique_ptr<Database> database_ = open(dir_.file("hub.db"));
};

TEST_F(MigrationsTest, EmbeddedMigrationsAreNumberedAndNamed) {
  const auto& migrations = embedded_migrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations.front().version, 1);
  EXPECT_EQ(migrations.front().name, "0001_auth");
}

TEST_F(MigrationsTest, MigrateAppliesEmbeddedMigrationsOnce) {
  database_->migrate();
  database_->migrate();
  const auto session = database_->session();
  EXPECT_EQ(count(*session, "schema_migrations"),
            static_cast<std::int64_t>(embedded_migrations().size()));
  EXPECT_EQ(count(*session, "nonces"), 0);  // tables of a multi-statement migration exist
  EXPECT_EQ(count(*session, "permissions"), 0);
  EXPECT_EQ(apply_migrations(*session, "sqlite", embedded_migrations()), 0u);
}

TEST_F(MigrationsTest, SecondOpenAppliesNothing) {
  database_->migrate();
  database_.reset();
  const auto reopened = open(dir_.file("hub.db"));
  const auto session = reopened->session();
  EXPECT_EQ(apply_migrations(*session, "sqlite", embedded_migrations()), 0u);
}

TEST_F(MigrationsTest, AppliesInVersionOrderAndRecordsEach) {
  const std::vector<Migration> migrations = {
      {2, "0002_add", "INSERT INTO items (id, label) VALUES (1, 'one');"},
      {1, "0001_items", "CREATE TABLE items (id {{ID_PK}}, label TEXT, data {{BLOB}});"},
  };
  const auto session = database_->session();
  EXPECT_EQ(apply_migrations(*session, "sqlite", migrations), 2u);
  EXPECT_EQ(count(*session, "items"), 1);
  const Rows recorded =
      session->query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].text(1), "0001_items");
  EXPECT_EQ(recorded[1].text(1), "0002_add");
  EXPECT_GT(recorded[1].integer(2), 1'600'000'000'000'000);  // Unix microseconds

  EXPECT_EQ(apply_migrations(*session, "sqlite", migrations), 0u);
  EXPECT_EQ(count(*session, "items"), 1);
}

TEST_F(MigrationsTest, RunsTriggerBodiesWithSemicolons) {
  const std::vector<Migration> migrations = {{1, "0001_trigger",
                                              "CREATE TABLE a (x INTEGER);\n"
                                              "CREATE TABLE log (x INTEGER);\n"
                                              "-- keeps a log\n"
                                              "CREATE TRIGGER a_log AFTER INSERT ON a BEGIN\n"
                                              "  INSERT INTO log VALUES (NEW.x);\n"
                                              "  INSERT INTO log VALUES (NEW.x + 1);\n"
                                              "END;\n"
                                              "INSERT INTO a VALUES (10);\n"}};
  const auto session = database_->session();
  EXPECT_EQ(apply_migrations(*session, "sqlite", migrations), 1u);
  EXPECT_EQ(count(*session, "log"), 2);
}

TEST_F(MigrationsTest, FailedMigrationLeavesNoTrace) {
  const std::vector<Migration> migrations = {
      {1, "0001_ok", "CREATE TABLE good (x INTEGER);"},
      {2, "0002_broken", "CREATE TABLE half (x INTEGER); INSERT INTO missing VALUES (1);"},
  };
  const auto session = database_->session();
  try {
    apply_migrations(*session, "sqlite", migrations);
    FAIL() << "expected db::Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("0002_broken"));
    EXPECT_THAT(error.what(), HasSubstr("missing"));
  }
  EXPECT_EQ(count(*session, "schema_migrations"), 1);
  EXPECT_EQ(count(*session, "good"), 0);
  EXPECT_TRUE(session->query("SELECT name FROM sqlite_master WHERE name = 'half'").empty());
}

TEST_F(MigrationsTest, RefusesADatabaseFromANewerBinary) {
  database_->migrate();
  {
    const auto session = database_->session();
    session->execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                     {std::int64_t{9999}, std::string("9999_future"), std::int64_t{0}});
  }
  try {
    database_->migrate();
    FAIL() << "expected db::Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("9999"));
    EXPECT_THAT(error.what(), HasSubstr("9999_future"));
    EXPECT_THAT(error.what(), HasSubstr("newer"));
  }
}

TEST_F(MigrationsTest, RejectsDuplicateVersions) {
  const std::vector<Migration> migrations = {{1, "0001_a", "SELECT 1"}, {1, "0001_b", "SELECT 1"}};
  const auto session = database_->session();
  EXPECT_THROW(apply_migrations(*session, "sqlite", migrations), Error);
}

}  // namespace
}  // namespace nearhub::db
