#include "util/base58.h"

#include <gtest/gtest.h>

#include "util/hex.h"

namespace nearhub::util {
namespace {

Bytes text_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

TEST(Base58, EncodesKnownValues) {
  EXPECT_EQ(base58_encode({}), "");
  EXPECT_EQ(base58_encode(text_bytes("hello world")), "StV1DL6CwTryKyV");
  EXPECT_EQ(base58_encode(Bytes{0}), "1");
  EXPECT_EQ(base58_encode(Bytes{0, 0, 1}), "112");
  EXPECT_EQ(base58_encode(Bytes{0xff}), "5Q");
}

TEST(Base58, DecodesKnownValues) {
  EXPECT_EQ(base58_decode("StV1DL6CwTryKyV"), text_bytes("hello world"));
  EXPECT_EQ(base58_decode("112"), (Bytes{0, 0, 1}));
  EXPECT_EQ(base58_decode(""), Bytes{});
}

TEST(Base58, DecodesANearPublicKeyTo32Bytes) {
  const auto key = base58_decode("2aPrik9S1qCnnfNo2doETrNa61ZaBwZYC8baschK5din");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 32u);
  EXPECT_EQ(base58_encode(*key), "2aPrik9S1qCnnfNo2doETrNa61ZaBwZYC8baschK5din");
}

TEST(Base58, RejectsCharactersOutsideTheAlphabet) {
  for (const std::string_view bad : {"0", "O", "I", "l", "abc+", "ab c"}) {
    EXPECT_FALSE(base58_decode(bad)) << bad;
  }
}

TEST(Base58, RoundTripsEveryLength) {
  for (std::size_t length = 0; length < 70; ++length) {
    Bytes data(length);
    for (std::size_t i = 0; i < length; ++i) data[i] = static_cast<std::uint8_t>(i * 37 + length);
    if (length > 3) data[0] = 0;  // leading zero bytes are kept as '1's
    EXPECT_EQ(base58_decode(base58_encode(data)), data) << length;
  }
}

}  // namespace
}  // namespace nearhub::util
