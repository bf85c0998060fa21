#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "db/database.h"

namespace nearhub::db {
namespace {

using ::testing::HasSubstr;

Row sample_row() { return Row({nullptr, std::int64_t{-7}, 2.5, std::string("text")}); }

TEST(RowTest, ReadsEachType) {
  const Row row = sample_row();
  EXPECT_EQ(row.size(), 4u);
  EXPECT_TRUE(row.is_null(0));
  EXPECT_FALSE(row.is_null(1));
  EXPECT_EQ(row.integer(1), -7);
  EXPECT_DOUBLE_EQ(row.real(2), 2.5);
  EXPECT_EQ(row.text(3), "text");
  EXPECT_EQ(row.optional_text(0), std::nullopt);
  EXPECT_EQ(row.optional_text(3), "text");
}

TEST(RowTest, ReadsAnIntegerAsReal) { EXPECT_DOUBLE_EQ(sample_row().real(1), -7.0); }

TEST(RowTest, TypeErrorNamesColumnAndActualType) {
  const Row row = sample_row();
  try {
    row.integer(3);
    FAIL() << "expected db::Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("column 3"));
    EXPECT_THAT(error.what(), HasSubstr("text"));
  }
  EXPECT_THROW(row.text(0), Error);
  EXPECT_THROW(row.text(1), Error);
  EXPECT_THROW(row.real(3), Error);
  EXPECT_THROW(row.optional_text(1), Error);
}

TEST(RowTest, NullTypeErrorSaysNull) {
  try {
    sample_row().integer(0);
    FAIL() << "expected db::Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("null"));
  }
}

TEST(RowTest, ColumnOutOfRangeIsADbError) {
  try {
    sample_row().text(9);
    FAIL() << "expected db::Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("column 9"));
  }
}

TEST(NullableTest, MapsNulloptToNull) {
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(nullable(std::nullopt)));
  EXPECT_EQ(std::get<std::string>(nullable(std::string("a"))), "a");
}

}  // namespace
}  // namespace nearhub::db
