// The migration runner on both engines, through Database::migrate and apply_migrations.

#include <future>
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

class EngineMigrationsTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database();
  }

  std::int64_t count(Session& session, const std::string& table) {
    return session.query("SELECT COUNT(*) FROM " + table)[0].integer(0);
  }

  std::unique_ptr<Database> database_;
};

TEST_P(EngineMigrationsTest, MigrateAppliesEmbeddedMigrationsOnce) {
  database_->migrate();
  database_->migrate();
  const auto session = database_->session();
  EXPECT_EQ(count(*session, "schema_migrations"),
            static_cast<std::int64_t>(embedded_migrations().size()));
  EXPECT_EQ(count(*session, "nonces"), 0);  // tables of a multi-statement migration exist
  EXPECT_EQ(count(*session, "permissions"), 0);
  EXPECT_EQ(apply_migrations(*session, engine(), embedded_migrations()), 0u);
}

TEST_P(EngineMigrationsTest, ProcessesMigratingAtOnceApplyEachMigrationOnce) {
  constexpr int kProcesses = 4;
  std::vector<std::unique_ptr<Database>> databases;
  for (int i = 0; i < kProcesses; ++i) databases.push_back(open_database({.pool_size = 1}));
  std::vector<std::future<void>> migrations;
  for (const auto& database : databases) {
    migrations.push_back(std::async(std::launch::async, [&database] { database->migrate(); }));
  }
  for (auto& migration : migrations) EXPECT_NO_THROW(migration.get());
  const auto session = database_->session();
  EXPECT_EQ(count(*session, "schema_migrations"),
            static_cast<std::int64_t>(embedded_migrations().size()));
}

TEST_P(EngineMigrationsTest, AppliesInVersionOrderAndRecordsEach) {
  const std::vector<Migration> migrations = {
      {2, "0002_add", "INSERT INTO items (label, data) VALUES ('one', NULL);"},
      {1, "0001_items", "CREATE TABLE items (id {{ID_PK}}, label TEXT, data {{BLOB}});"},
  };
  const auto session = database_->session();
  EXPECT_EQ(apply_migrations(*session, engine(), migrations), 2u);
  EXPECT_EQ(count(*session, "items"), 1);
  const Rows recorded =
      session->query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].text(1), "0001_items");
  EXPECT_EQ(recorded[1].text(1), "0002_add");
  EXPECT_GT(recorded[1].integer(2), 1'600'000'000'000'000);  // Unix microseconds

  EXPECT_EQ(apply_migrations(*session, engine(), migrations), 0u);
  EXPECT_EQ(count(*session, "items"), 1);
}

TEST_P(EngineMigrationsTest, FailedMigrationLeavesNoTrace) {
  const std::vector<Migration> migrations = {
      {1, "0001_ok", "CREATE TABLE good (x INTEGER);"},
      {2, "0002_broken", "CREATE TABLE half (x INTEGER); INSERT INTO missing VALUES (1);"},
  };
  const auto session = database_->session();
  try {
    apply_migrations(*session, engine(), migrations);
    FAIL() << "expected db::Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("0002_broken"));
    EXPECT_THAT(error.what(), HasSubstr("missing"));
  }
  EXPECT_EQ(count(*session, "schema_migrations"), 1);
  EXPECT_EQ(count(*session, "good"), 0);
  EXPECT_THROW(count(*session, "half"), Error);
}

TEST_P(EngineMigrationsTest, RefusesADatabaseFromANewerBinary) {
  database_->migrate();
  database_->session()->execute(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
      {std::int64_t{9999}, std::string("9999_future"), std::int64_t{0}});
  try {
    database_->migrate();
    FAIL() << "expected db::Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("9999_future"));
    EXPECT_THAT(error.what(), HasSubstr("newer"));
  }
}

INSTANTIATE_ENGINE_SUITE(EngineMigrationsTest);

}  // namespace
}  // namespace nearhub::db
