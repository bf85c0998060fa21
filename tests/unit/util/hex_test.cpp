#include "util/hex.h"

#include <gtest/gtest.h>

namespace nearhub::util {
namespace {

TEST(Hex, EncodesLowercase) {
  EXPECT_EQ(hex_encode(Bytes{0x00, 0x9d, 0xff, 0x0a}), "009dff0a");
  EXPECT_EQ(hex_encode({}), "");
}

TEST(Hex, DecodesEitherCase) { EXPECT_EQ(hex_decode("009DfF0a"), (Bytes{0x00, 0x9d, 0xff, 0x0a})); }

TEST(Hex, RejectsOddLengthAndNonHex) {
  EXPECT_FALSE(hex_decode("abc"));
  EXPECT_FALSE(hex_decode("zz"));
  EXPECT_FALSE(hex_decode("0x"));
}

}  // namespace
}  // namespace nearhub::util
