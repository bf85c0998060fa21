#include "db/postgres/placeholders.h"

#include <gtest/gtest.h>

namespace nearhub::db::postgres {
namespace {

TEST(PostgresPlaceholdersTest, NumbersQuestionMarksInOrder) {
  EXPECT_EQ(number_placeholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)"),
            "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
  EXPECT_EQ(number_placeholders("SELECT 1"), "SELECT 1");
  EXPECT_EQ(number_placeholders("?"), "$1");
}

TEST(PostgresPlaceholdersTest, LeavesQuotedTextAlone) {
  EXPECT_EQ(number_placeholders("SELECT '?', 'it''s ?', ?"), "SELECT '?', 'it''s ?', $1");
  EXPECT_EQ(number_placeholders("SELECT \"a?\" FROM \"t\"\"?\" WHERE x = ?"),
            "SELECT \"a?\" FROM \"t\"\"?\" WHERE x = $1");
  EXPECT_EQ(number_placeholders("SELECT E'\\' ?', ?"), "SELECT E'\\' ?', $1");
  // Outside E'...', a backslash is an ordinary character.
  EXPECT_EQ(number_placeholders("SELECT '\\', ?"), "SELECT '\\', $1");
  EXPECT_EQ(number_placeholders("SELECT name'?'"), "SELECT name'?'");
}

TEST(PostgresPlaceholdersTest, LeavesCommentsAlone) {
  EXPECT_EQ(number_placeholders("SELECT ? -- why?\n, ?"), "SELECT $1 -- why?\n, $2");
  EXPECT_EQ(number_placeholders("SELECT /* ? /* ? */ ? */ ?"), "SELECT /* ? /* ? */ ? */ $1");
  EXPECT_EQ(number_placeholders("SELECT ? -- ?"), "SELECT $1 -- ?");
  EXPECT_EQ(number_placeholders("SELECT 4 - ?"), "SELECT 4 - $1");
  EXPECT_EQ(number_placeholders("SELECT 4 / ?"), "SELECT 4 / $1");
}

TEST(PostgresPlaceholdersTest, LeavesDollarQuotedBodiesAlone) {
  EXPECT_EQ(number_placeholders("SELECT $$?$$, ?"), "SELECT $$?$$, $1");
  EXPECT_EQ(number_placeholders("SELECT $fn$ $$ ? $fn$, ?"), "SELECT $fn$ $$ ? $fn$, $1");
  EXPECT_EQ(number_placeholders("SELECT a$b, ?"), "SELECT a$b, $1");
}

TEST(PostgresPlaceholdersTest, UnterminatedLiteralsRunToTheEnd) {
  EXPECT_EQ(number_placeholders("SELECT 'open ?"), "SELECT 'open ?");
  EXPECT_EQ(number_placeholders("SELECT $$ ?"), "SELECT $$ ?");
  EXPECT_EQ(number_placeholders("SELECT /* ?"), "SELECT /* ?");
}

}  // namespace
}  // namespace nearhub::db::postgres
