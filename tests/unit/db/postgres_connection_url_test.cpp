#include "db/postgres/connection_url.h"

#include <gtest/gtest.h>

namespace nearhub::db::postgres {
namespace {

TEST(PostgresConnectionUrlTest, RedactsThePasswordOfTheUserInfo) {
  EXPECT_EQ(redact_url("postgres://me:s3cret@db.example:5432/hub"),
            "postgres://me@db.example:5432/hub");
  EXPECT_EQ(redact_url("postgresql://me:@host/hub"), "postgresql://me@host/hub");
}

TEST(PostgresConnectionUrlTest, RedactsAPasswordParameter) {
  EXPECT_EQ(redact_url("postgres://host/hub?password=s3cret"), "postgres://host/hub");
  EXPECT_EQ(redact_url("postgres://host/hub?password=s3cret&sslmode=require"),
            "postgres://host/hub?sslmode=require");
  EXPECT_EQ(redact_url("postgres://host/hub?sslmode=require&password=s3cret"),
            "postgres://host/hub?sslmode=require");
}

TEST(PostgresConnectionUrlTest, LeavesUrlsWithoutPasswordsAlone) {
  for (const char* url : {"postgres://host/hub", "postgres://me@[::1]:5432/hub",
                          "postgres://host:5432/hub?user=me", "postgres://host/a:b@c"}) {
    EXPECT_EQ(redact_url(url), url);
  }
}

TEST(PostgresConnectionUrlTest, RedactsThePasswordInsideMessages) {
  EXPECT_EQ(redact_password("bad token \"s3cret%zz\" in postgres://me:s3cret%zz@h",
                            "postgres://me:s3cret%zz@h"),
            "bad token \"***\" in postgres://me:***@h");
  EXPECT_EQ(redact_password("no secret here", "postgres://h/db?password=pw"), "no secret here");
}

}  // namespace
}  // namespace nearhub::db::postgres
