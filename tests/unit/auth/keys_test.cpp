#include "auth/keys.h"

#include <gtest/gtest.h>

#include "util/hex.h"

namespace nearhub::auth {
namespace {

constexpr std::string_view kSecretKey =
    "ed25519:"
    "5j4jxNMwYim8phkmCJtPu8792ocAPHV6F3d9V4soJUoUXj5nUxAWmgg71VqW3rYU7aFYvrhsaEGvy6Pnrtrw9rkQ";
constexpr std::string_view kPublicKey = "ed25519:D7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7bjE";

TEST(PublicKey, ParsesAndFormats) {
  const auto key = PublicKey::parse(kPublicKey);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->to_string(), kPublicKey);
}

TEST(PublicKey, IgnoresTheFirstEightCharactersLikeTheOriginal) {
  const auto key = PublicKey::parse("XXXXXXXXD7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7bjE");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->to_string(), kPublicKey);
}

TEST(PublicKey, RejectsBadBase58AndWrongLengths) {
  EXPECT_FALSE(PublicKey::parse("ed25519:D7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7bj0"));
  EXPECT_FALSE(PublicKey::parse("ed25519:D7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7b"));
  EXPECT_FALSE(PublicKey::parse("ed25519:D7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7bjEE"));
  EXPECT_FALSE(PublicKey::parse("ed25519:"));
  EXPECT_FALSE(PublicKey::parse(""));
}

TEST(SecretKey, ParsesAndDerivesThePublicKeyFromTheSeed) {
  const auto key = SecretKey::parse(kSecretKey);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->public_key().to_string(), kPublicKey);
  EXPECT_EQ(key->to_string(), kSecretKey);
}

TEST(SecretKey, RejectsOtherForms) {
  EXPECT_FALSE(SecretKey::parse(kSecretKey.substr(8)));  // no prefix
  EXPECT_FALSE(SecretKey::parse(std::string(kSecretKey) + "1"));
  EXPECT_FALSE(SecretKey::parse(kPublicKey));  // 32 bytes, not 64
}

TEST(SecretKey, GeneratedKeysSignAndVerify) {
  const auto key = SecretKey::generate();
  const auto other = SecretKey::generate();
  EXPECT_NE(key.public_key(), other.public_key());
  const Signature signature = key.sign(util::as_bytes("hello"));
  EXPECT_TRUE(key.public_key().verify(util::as_bytes("hello"), signature));
  EXPECT_FALSE(key.public_key().verify(util::as_bytes("hellO"), signature));
  EXPECT_FALSE(other.public_key().verify(util::as_bytes("hello"), signature));
  EXPECT_EQ(SecretKey::parse(key.to_string())->seed(), key.seed());
}

TEST(SecretKey, FromSeedIsDeterministic) {
  SecretKey::Seed seed{};
  seed[0] = 1;
  EXPECT_EQ(SecretKey::from_seed(seed).public_key(), SecretKey::from_seed(seed).public_key());
}

TEST(Signature, ParsesOnly64Bytes) {
  const std::string valid =
      "RzzQgi83NFzStiVnQjqBh1riQSK1u/W5KrPBqkAIsFLSornxSrLaJBZCP99c7Y+3Cvve4zmP39zs/eNHg2nSCw==";
  const auto signature = parse_signature(valid);
  ASSERT_TRUE(signature);
  EXPECT_EQ(format_signature(*signature), valid);
  EXPECT_FALSE(parse_signature("RzzQ"));
  EXPECT_FALSE(parse_signature(valid.substr(0, 86) + "AAAA=="));  // 67 bytes
  EXPECT_TRUE(parse_signature(valid + "AAAA"));  // data after the padding is ignored, as in Python
  EXPECT_FALSE(parse_signature(valid.substr(0, 85)));
}

TEST(ImplicitAccount, IsTheLowercaseHexOfTheKey) {
  const auto key = PublicKey::parse(kPublicKey);
  const std::string account = implicit_account_id(*key);
  EXPECT_EQ(account.size(), 64u);
  EXPECT_EQ(account, util::hex_encode(key->bytes()));
  EXPECT_EQ(account.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace nearhub::auth
