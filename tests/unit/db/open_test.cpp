#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "db/database.h"
#include "temp_directory.h"

namespace nearhub::db {
namespace {

using ::testing::HasSubstr;
using testing::TempDirectory;

std::string open_error(const std::string& url) {
  try {
    open(url);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

TEST(OpenTest, OpensSqliteFromEachUrlFormCreatingDirectories) {
  TempDirectory dir;
  const std::string plain = dir.file("a/b/plain.db");
  for (const std::string& url :
       {plain, "sqlite:" + dir.file("c/prefixed.db"), "sqlite://" + dir.file("d/slashes.db")}) {
    const auto database = open(url);
    EXPECT_EQ(database->engine(), "sqlite") << url;
  }
  EXPECT_TRUE(std::filesystem::exists(plain));
  EXPECT_TRUE(std::filesystem::exists(dir.file("c/prefixed.db")));
  EXPECT_TRUE(std::filesystem::exists(dir.file("d/slashes.db")));
}

TEST(OpenTest, UsesWriteAheadLoggingAndForeignKeys) {
  TempDirectory dir;
  const auto database = open(dir.file("hub.db"));
  const auto session = database->session();
  EXPECT_EQ(session->query("PRAGMA journal_mode")[0].text(0), "wal");
  EXPECT_EQ(session->query("PRAGMA foreign_keys")[0].integer(0), 1);
  EXPECT_EQ(session->query("PRAGMA synchronous")[0].integer(0), 1);  // NORMAL
}

TEST(OpenTest, RejectsUnknownSchemesAndEmptyUrls) {
  EXPECT_THAT(open_error("mysql://localhost/hub"), HasSubstr("'mysql'"));
  EXPECT_THAT(open_error(""), HasSubstr("no database URL"));
  EXPECT_THAT(open_error("sqlite:"), HasSubstr("no file"));
  EXPECT_THAT(open_error(":memory:"), HasSubstr("in-memory"));
}

TEST(OpenTest, ReportsAnUnopenablePath) {
  TempDirectory dir;
  std::filesystem::create_directories(dir.path() / "taken");
  EXPECT_THAT(open_error(dir.file("taken")), HasSubstr("taken"));
}

}  // namespace
}  // namespace nearhub::db
