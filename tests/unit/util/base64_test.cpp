#include "util/base64.h"

#include <gtest/gtest.h>

namespace nearhub::util {
namespace {

Bytes text_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(text_bytes("")), "");
  EXPECT_EQ(base64_encode(text_bytes("f")), "Zg==");
  EXPECT_EQ(base64_encode(text_bytes("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(text_bytes("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(text_bytes("foob")), "Zm9vYg==");
  EXPECT_EQ(base64_encode(text_bytes("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64_encode(text_bytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(Bytes{0xfb, 0xff}), "+/8=");
}

TEST(Base64, DecodesRfc4648Vectors) {
  EXPECT_EQ(base64_decode(""), Bytes{});
  EXPECT_EQ(base64_decode("Zg=="), text_bytes("f"));
  EXPECT_EQ(base64_decode("Zm8="), text_bytes("fo"));
  EXPECT_EQ(base64_decode("Zm9vYmFy"), text_bytes("foobar"));
  EXPECT_EQ(base64_decode("+/8="), (Bytes{0xfb, 0xff}));
}

TEST(Base64, DiscardsCharactersOutsideTheAlphabetLikePython) {
  EXPECT_EQ(base64_decode(".Zm9v"), text_bytes("foo"));
  EXPECT_EQ(base64_decode("Zm\n9v\r\n"), text_bytes("foo"));
  EXPECT_EQ(base64_decode("Z m-9_v"), text_bytes("foo"));
}

TEST(Base64, StopsAtCompletePadding) {
  EXPECT_EQ(base64_decode("Zg==Zm9v"), text_bytes("f"));
  EXPECT_EQ(base64_decode("Zm8=Zm9v"), text_bytes("fo"));
  EXPECT_EQ(base64_decode("Zg==="), text_bytes("f"));
}

TEST(Base64, RejectsIncompleteGroups) {
  EXPECT_FALSE(base64_decode("Zg"));     // "Incorrect padding" in Python
  EXPECT_FALSE(base64_decode("Zm8"));    // likewise
  EXPECT_FALSE(base64_decode("Zm9vY"));  // one character more than a multiple of 4
  EXPECT_FALSE(base64_decode("Zg="));
}

TEST(Base64, RoundTripsEveryLength) {
  for (std::size_t length = 0; length < 70; ++length) {
    Bytes data(length);
    for (std::size_t i = 0; i < length; ++i) data[i] = static_cast<std::uint8_t>(i * 91 + 7);
    EXPECT_EQ(base64_decode(base64_encode(data)), data) << length;
  }
}

}  // namespace
}  // namespace nearhub::util
