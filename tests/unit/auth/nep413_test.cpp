// Vectors A and B of spec/platform.md §2.4, and the third vector of the original's
// hub/tests/test_sign.py (an account signing in through the web UI with a long callback URL).

#include "auth/nep413.h"

#include <gtest/gtest.h>

#include "auth/borsh.h"
#include "util/hex.h"

namespace nearhub::auth {
namespace {

constexpr std::string_view kVectorAPublicKey =
    "ed25519:2aPrik9S1qCnnfNo2doETrNa61ZaBwZYC8baschK5din";
constexpr std::string_view kVectorASignature =
    "RzzQgi83NFzStiVnQjqBh1riQSK1u/W5KrPBqkAIsFLSornxSrLaJBZCP99c7Y+3Cvve4zmP39zs/eNHg2nSCw==";
constexpr std::string_view kVectorBSecretKey =
    "ed25519:"
    "5j4jxNMwYim8phkmCJtPu8792ocAPHV6F3d9V4soJUoUXj5nUxAWmgg71VqW3rYU7aFYvrhsaEGvy6Pnrtrw9rkQ";

std::string pad(std::string_view nonce) {
  return std::string(32 - nonce.size(), '0') + std::string(nonce);
}

Nep413Payload vector_a() { return {"Test", pad("1722875604184"), "test.near", "https://near.ai"}; }

TEST(Nep413, VectorABorshBytes) {
  EXPECT_EQ(util::hex_encode(nep413_borsh(vector_a())),
            "9d010080"
            "0400000054657374"
            "3030303030303030303030303030303030303031373232383735363034313834"
            "09000000746573742e6e656172"
            "010f00000068747470733a2f2f6e6561722e6169");
  EXPECT_EQ(nep413_borsh(vector_a()).size(), 77u);
}

TEST(Nep413, VectorADigest) {
  EXPECT_EQ(util::hex_encode(nep413_digest(vector_a())),
            "8798b09f1f8755d3ce804b53f25be2bf69b49bc737f3ead0255c11ed15959d0f");
}

TEST(Nep413, VectorASignatureVerifies) {
  EXPECT_TRUE(verify_nep413(vector_a(), kVectorAPublicKey, kVectorASignature));
}

TEST(Nep413, VectorASignatureDoesNotCoverThePayloadWithoutCallback) {
  Nep413Payload payload = vector_a();
  payload.callback_url.reset();
  EXPECT_TRUE(util::hex_encode(nep413_borsh(payload)).ends_with("6e65617200"));
  EXPECT_FALSE(verify_nep413(payload, kVectorAPublicKey, kVectorASignature));
}

TEST(Nep413, VectorBSignsExactly) {
  const auto key = SecretKey::parse(kVectorBSecretKey);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->public_key().to_string(), "ed25519:D7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7bjE");
  const Signature signature = sign_nep413(*key, vector_a());
  EXPECT_EQ(
      format_signature(signature),
      "TGRZUlGLWUhTbI23XeS9cPik8UX1PAtXblmya0hW2Piz5yjsDEB9yr1OqClKKiPjpKrtSfPiQjZL6Bp2WB3YBg==");
  EXPECT_TRUE(
      verify_nep413(vector_a(), key->public_key().to_string(), format_signature(signature)));
}

TEST(Nep413, WebUiVectorFromTheOriginalTestsVerifies) {
  const Nep413Payload payload{
      "Welcome to NEAR AI Hub!", pad("1722333704261"), "ai.near",
      "http://localhost:5173?message=Welcome+to+NEAR+AI+Hub%21&recipient=ai.near&nonce="
      "00000000000000000001722333704261&type=remote"};
  EXPECT_TRUE(verify_nep413(
      payload, "ed25519:HFd5upW3ppKKqwmNNbm56JW7VHXzEoDpwFKuetXLuNSq",
      "f527uJAg0o60I1BozX+zo0NrAmOdw9UdXvmLGQoA2i/gkOGTeR9AMH1sJQQdCSA4RGrOnyyKfaLTbjGWW6uTAQ=="));
}

TEST(Nep413, FallsBackToThePayloadWithoutCallback) {
  // Some wallets sign without the callback URL the token carries.
  const auto key = SecretKey::parse(kVectorBSecretKey);
  Nep413Payload signed_payload = vector_a();
  signed_payload.callback_url.reset();
  const std::string signature = format_signature(sign_nep413(*key, signed_payload));
  EXPECT_TRUE(verify_nep413(vector_a(), key->public_key().to_string(), signature));
}

TEST(Nep413, EmptyCallbackIsNotNone) {
  Nep413Payload with_empty = vector_a();
  with_empty.callback_url = "";
  EXPECT_TRUE(util::hex_encode(nep413_borsh(with_empty)).ends_with("6e6561720100000000"));
  // Signed with Some(""), verified as None: no fallback goes that way.
  const auto key = SecretKey::parse(kVectorBSecretKey);
  const std::string signature = format_signature(sign_nep413(*key, with_empty));
  Nep413Payload without = vector_a();
  without.callback_url.reset();
  EXPECT_FALSE(verify_nep413(without, key->public_key().to_string(), signature));
  EXPECT_TRUE(verify_nep413(with_empty, key->public_key().to_string(), signature));
}

TEST(Nep413, TamperingWithAnyFieldBreaksTheSignature) {
  const auto tampered = [](auto change) {
    Nep413Payload payload = vector_a();
    change(payload);
    return verify_nep413(payload, kVectorAPublicKey, kVectorASignature);
  };
  EXPECT_FALSE(tampered([](Nep413Payload& p) { p.message = "Test!"; }));
  EXPECT_FALSE(tampered([](Nep413Payload& p) { p.nonce = pad("1722875604185"); }));
  EXPECT_FALSE(tampered([](Nep413Payload& p) { p.recipient = "ai.near"; }));
  EXPECT_FALSE(tampered([](Nep413Payload& p) { p.callback_url = "https://near.ai/"; }));
  EXPECT_FALSE(verify_nep413(vector_a(), "ed25519:D7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7bjE",
                             kVectorASignature));
  std::string flipped(kVectorASignature);
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_nep413(vector_a(), kVectorAPublicKey, flipped));
}

TEST(Nep413, MalformedKeyOrSignatureIsSimplyInvalid) {
  EXPECT_FALSE(verify_nep413(vector_a(), "ed25519:0OIl", kVectorASignature));
  EXPECT_FALSE(verify_nep413(vector_a(), "ed25519:2aPrik9S1qCnnfNo2doETrNa61", kVectorASignature));
  EXPECT_FALSE(verify_nep413(vector_a(), "", kVectorASignature));
  EXPECT_FALSE(verify_nep413(vector_a(), kVectorAPublicKey, "RzzQ"));
  EXPECT_FALSE(verify_nep413(vector_a(), kVectorAPublicKey, "not base64 at all!"));
  EXPECT_FALSE(verify_nep413(vector_a(), kVectorAPublicKey, ""));
}

TEST(Nep413, SignatureIsDecodedLenientlyLikePython) {
  EXPECT_TRUE(verify_nep413(vector_a(), kVectorAPublicKey, "." + std::string(kVectorASignature)));
  std::string with_newlines(kVectorASignature);
  with_newlines.insert(40, "\n");
  EXPECT_TRUE(verify_nep413(vector_a(), kVectorAPublicKey, with_newlines));
}

TEST(Nep413, RejectsANonceThatIsNot32Bytes) {
  Nep413Payload payload = vector_a();
  payload.nonce = "1722875604184";
  EXPECT_THROW(nep413_borsh(payload), std::invalid_argument);
}

TEST(Borsh, WritesTheCompletionSignatureShapes) {
  // The building blocks of spec/platform.md §3.2 (vector C): Option<u32> and counted vectors.
  BorshWriter writer;
  writer.u32(1).string("user").string("Hi").optional_u32(700).optional_u32(1024).optional_u32(
      std::nullopt);
  EXPECT_EQ(util::hex_encode(writer.bytes()),
            "010000000400000075736572020000004869"
            "01bc020000"
            "0100040000"
            "00");
}

}  // namespace
}  // namespace nearhub::auth
