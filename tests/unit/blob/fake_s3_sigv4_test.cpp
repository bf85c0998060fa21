// The fake S3 must really check signatures, or the S3 tests would prove nothing: it is checked
// here against AWS's published example and against hand-signed requests, independently of
// libcurl's signer.

#include <gtest/gtest.h>

#include <ctime>

#include "support/fake_s3/fake_s3_server.h"
#include "util/http_client.h"

namespace nearhub::testing {
namespace {

// AWS documentation, "Signature Calculations for the Authorization Header", example GET Object.
TEST(FakeS3SigV4, MatchesAwsPublishedExample) {
  const std::string canonical_request =
      "GET\n/test.txt\n\n"
      "host:examplebucket.s3.amazonaws.com\n"
      "range:bytes=0-9\n"
      "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "x-amz-date:20130524T000000Z\n\n"
      "host;range;x-amz-content-sha256;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  EXPECT_EQ(sigv4::sha256_hex(canonical_request),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" +
      sigv4::sha256_hex(canonical_request);
  EXPECT_EQ(sigv4::signature("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1",
                             "s3", string_to_sign),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(FakeS3SigV4, UriEncodingIsAwsStyle) {
  EXPECT_EQ(sigv4::uri_encode("a b/ü~+*", true), "a%20b/%C3%BC~%2B%2A");
  EXPECT_EQ(sigv4::uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(sigv4::uri_decode("a%20b%2Fc%zz"), "a b/c%zz");
}

// Signs a request by hand, as the SigV4 documentation describes it.
util::HttpRequest signed_request(const FakeS3Server& server, const std::string& method,
                                 const std::string& path, const std::string& body,
                                 const std::string& secret) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char timestamp[32];
  std::strftime(timestamp, sizeof timestamp, "%Y%m%dT%H%M%SZ", &tm);
  const std::string date(timestamp, 8);
  const std::string host = server.endpoint().substr(std::string("http://").size());
  const std::string payload = sigv4::sha256_hex(body);
  const std::string canonical = method + "\n" + path + "\n\nhost:" + host +
                                "\nx-amz-content-sha256:" + payload + "\nx-amz-date:" + timestamp +
                                "\n\nhost;x-amz-content-sha256;x-amz-date\n" + payload;
  const std::string scope = date + "/" + server.options().region + "/s3/aws4_request";
  const std::string to_sign = std::string("AWS4-HMAC-SHA256\n") + timestamp + "\n" + scope + "\n" +
                              sigv4::sha256_hex(canonical);
  util::HttpRequest request;
  request.method = method;
  request.url = server.endpoint() + path;
  request.body = body;
  request.headers = {{"x-amz-content-sha256", payload},
                     {"x-amz-date", timestamp},
                     {"Authorization",
                      "AWS4-HMAC-SHA256 Credential=" + server.options().access_key + "/" + scope +
                          ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" +
                          sigv4::signature(secret, date, server.options().region, "s3", to_sign)}};
  return request;
}

TEST(FakeS3SigV4, AcceptsAHandSignedRequestAndRefusesTamperedOnes) {
  FakeS3Server server;
  const std::string path = "/" + server.options().bucket + "/dir/file.txt";
  auto good = signed_request(server, "PUT", path, "hello", server.options().secret_key);
  EXPECT_EQ(util::send_http_request(good).status, 200);
  EXPECT_EQ(server.object("dir/file.txt"), std::optional<std::string>("hello"));

  // Another path under the same signature.
  auto moved = good;
  moved.url = server.endpoint() + "/" + server.options().bucket + "/dir/other.txt";
  auto answer = util::send_http_request(moved);
  EXPECT_EQ(answer.status, 403);
  EXPECT_NE(answer.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos);

  // Another body than the one hashed and signed.
  auto swapped = good;
  swapped.body = "HELLO";
  answer = util::send_http_request(swapped);
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.body.find("XAmzContentSHA256Mismatch"), std::string::npos);

  // Signed with another secret.
  answer = util::send_http_request(signed_request(server, "PUT", path, "x", "wrong"));
  EXPECT_EQ(answer.status, 403);
  EXPECT_NE(answer.body.find("SignatureDoesNotMatch"), std::string::npos);

  // Not signed at all.
  util::HttpRequest anonymous;
  anonymous.url = server.endpoint() + path;
  EXPECT_EQ(util::send_http_request(anonymous).status, 403);

  // An unsigned x-amz-* header.
  auto extra = good;
  extra.headers.emplace_back("x-amz-meta-evil", "1");
  answer = util::send_http_request(extra);
  EXPECT_EQ(answer.status, 403);
  EXPECT_NE(answer.body.find("not signed"), std::string::npos);

  EXPECT_EQ(server.object("dir/file.txt"), std::optional<std::string>("hello"));
  EXPECT_EQ(server.keys().size(), 1u);
}

TEST(FakeS3SigV4, RefusesAStaleDate) {
  FakeS3Server server;
  util::HttpRequest request;
  request.url = server.endpoint() + "/" + server.options().bucket + "/k";
  request.headers = {
      {"x-amz-content-sha256", sigv4::sha256_hex("")},
      {"x-amz-date", "20200101T000000Z"},
      {"Authorization", "AWS4-HMAC-SHA256 Credential=" + server.options().access_key +
                            "/20200101/us-east-1/s3/aws4_request, "
                            "SignedHeaders=host;x-amz-date, Signature=00"}};
  const auto answer = util::send_http_request(request);
  EXPECT_EQ(answer.status, 403);
  EXPECT_NE(answer.body.find("RequestTimeTooSkewed"), std::string::npos);
}

}  // namespace
}  // namespace nearhub::testing
