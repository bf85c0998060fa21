#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "db/split_statements.h"

namespace nearhub::db {
namespace {

using ::testing::ElementsAre;

TEST(SplitStatementsTest, SplitsAtSemicolonsAndTrims) {
  EXPECT_THAT(split_statements("  CREATE TABLE a (x INT);\n\nINSERT INTO a VALUES (1) ;  "),
              ElementsAre("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"));
}

TEST(SplitStatementsTest, KeepsLastStatementWithoutSemicolon) {
  EXPECT_THAT(split_statements("SELECT 1; SELECT 2"), ElementsAre("SELECT 1", "SELECT 2"));
}

TEST(SplitStatementsTest, DropsEmptyAndCommentOnlyPieces) {
  EXPECT_THAT(split_statements(";; -- nothing\n; /* still nothing */ ;"), ElementsAre());
  EXPECT_THAT(split_statements("SELECT 1;\n-- trailing comment\n"), ElementsAre("SELECT 1"));
}

TEST(SplitStatementsTest, IgnoresSemicolonsInQuotes) {
  EXPECT_THAT(split_statements("INSERT INTO t VALUES ('a;b', 'it''s;'); SELECT \"odd;name\""),
              ElementsAre("INSERT INTO t VALUES ('a;b', 'it''s;')", "SELECT \"odd;name\""));
}

TEST(SplitStatementsTest, HonoursBackslashesOnlyInEscapeStrings) {
  EXPECT_THAT(split_statements("SELECT E'a\\';b'; SELECT 'c\\'; SELECT 2"),
              ElementsAre("SELECT E'a\\';b'", "SELECT 'c\\'", "SELECT 2"));
}

TEST(SplitStatementsTest, IgnoresSemicolonsInComments) {
  EXPECT_THAT(split_statements("-- one; two\nSELECT 1 /* a; /* nested; */ b; */; SELECT 2"),
              ElementsAre("-- one; two\nSELECT 1 /* a; /* nested; */ b; */", "SELECT 2"));
}

TEST(SplitStatementsTest, IgnoresSemicolonsInDollarQuotedBodies) {
  const char* function =
      "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.x := 1; RETURN NEW; END; $$ "
      "LANGUAGE plpgsql";
  const char* tagged = "DO $body$ BEGIN PERFORM 'x$$;'; END $body$";
  EXPECT_THAT(split_statements(std::string(function) + ";\n" + tagged + "; SELECT 3"),
              ElementsAre(function, tagged, "SELECT 3"));
}

TEST(SplitStatementsTest, TreatsParametersAndIdentifierDollarsAsPlainText) {
  EXPECT_THAT(split_statements("SELECT $1, a$b FROM t; SELECT 2"),
              ElementsAre("SELECT $1, a$b FROM t", "SELECT 2"));
}

}  // namespace
}  // namespace nearhub::db
