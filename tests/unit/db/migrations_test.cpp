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

TEST_F(MigrationsTest, SecondOpenAppliesNothing) {
  database_->migrate();
  database_.reset();
  const auto reopened = open(dir_.file("hub.db"));
  const auto session = reopened->session();
  EXPECT_EQ(apply_migrations(*session, "sqlite", embedded_migrations()), 0u);
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

TEST_F(MigrationsTest, RejectsDuplicateVersions) {
  const std::vector<Migration> migrations = {{1, "0001_a", "SELECT 1"}, {1, "0001_b", "SELECT 1"}};
  const auto session = database_->session();
  EXPECT_THROW(apply_migrations(*session, "sqlite", migrations), Error);
}

}  // namespace
}  // namespace nearhub::db
