#pragma once
// An S3-compatible server for tests, in process on 127.0.0.1 (port 0), objects in memory.
// It checks AWS Signature Version 4 for real: it recomputes the canonical request and the
// signature with the configured secret and answers 403 SignatureDoesNotMatch (or
// InvalidAccessKeyId, RequestTimeTooSkewed, ...) like S3 does. Path-style requests only.
//
// Supported: PUT object (If-None-Match: *, x-amz-copy-source for CopyObject), GET object (Range,
// If-Match), HEAD, DELETE, ListObjectsV2 (prefix, max-keys, continuation-token). Plain POSIX
// sockets and one thread per connection (keep-alive, Expect: 100-continue), so it links with
// nothing from src/: unit tests and e2e tests can both use it.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nearhub::testing {

struct FakeS3Options {
  std::string bucket = "test-bucket";
  std::string region = "us-east-1";
  std::string access_key = "AKIDFAKES3TEST";
  std::string secret_key = "fake-s3-secret-key";
  // When set, the credentials are temporary: every request must carry this
  // x-amz-security-token (signed), as S3 requires of an STS session.
  std::string session_token;
  // Most keys one ListObjectsV2 page returns (S3's is 1000), so tests can page with few objects.
  std::size_t page_size = 1000;
};

class FakeS3Server {
 public:
  explicit FakeS3Server(FakeS3Options options = {});
  ~FakeS3Server();
  FakeS3Server(const FakeS3Server&) = delete;
  FakeS3Server& operator=(const FakeS3Server&) = delete;

  std::string endpoint() const;  // "http://127.0.0.1:<port>"
  const FakeS3Options& options() const;

  // The stored objects, by full S3 key (prefix included).
  std::optional<std::string> object(const std::string& key) const;
  std::vector<std::string> keys() const;
  void put_object(const std::string& key, std::string data);  // behind the client's back

  struct Received {
    std::string method, target;                  // target as sent: "/bucket/a%20b?x=y"
    int status = 0;                              // what the fake answered
    std::string error_code;                      // S3 error code of the answer, if any
    std::map<std::string, std::string> headers;  // lowercase names
  };
  std::vector<Received> received() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// SigV4 building blocks, exposed for the fake's own unit tests.
namespace sigv4 {
std::string sha256_hex(const std::string& data);
std::string hmac_sha256(const std::string& key, const std::string& data);  // raw 32 bytes
std::string uri_encode(const std::string& text, bool keep_slash);
std::string uri_decode(const std::string& text);
// The signature of `string_to_sign` for the scope date/region/service.
std::string signature(const std::string& secret, const std::string& date, const std::string& region,
                      const std::string& service, const std::string& string_to_sign);
}  // namespace sigv4

}  // namespace nearhub::testing
