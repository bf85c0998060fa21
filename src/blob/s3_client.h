#pragma once
// One signed HTTP exchange with an S3-compatible service, on libcurl. Signing is libcurl's
// CURLOPT_AWS_SIGV4 ("aws:amz:<region>:s3"). libcurl (7.88) signs the path and query exactly as
// given and every header we add, so callers pass the path and query already in SigV4's
// canonical form (segments percent-encoded, query parameters encoded and sorted by name).
// Handles are pooled so that connections (and TLS sessions) are reused between requests.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/byte_source.h"

namespace nearhub::blob {

struct S3Connection {
  std::string endpoint;  // "https://s3.us-east-1.amazonaws.com", no trailing slash
  std::string region;
  std::string access_key;
  std::string secret_key;
  // Temporary credentials (an IAM role's, AWS STS) come with a session token, sent as
  // x-amz-security-token; empty for long-lived keys.
  std::string session_token;
  std::chrono::milliseconds connect_timeout{10'000};
  // HEAD and DELETE must finish in this time.
  std::chrono::milliseconds request_timeout{60'000};
  // Any request fails when its transfer runs slower than 1 KiB/s for this long.
  std::chrono::seconds stall_timeout{60};
};

struct S3Upload {
  util::ByteSource* source = nullptr;
  std::uint64_t size = 0;  // sent as Content-Length; the source must hold exactly this much
  std::uint64_t max_bytes = UINT64_MAX;
};

struct S3Request {
  std::string method = "GET";
  std::string path;   // canonical: "/bucket/pre%20fix/key"
  std::string query;  // canonical: "list-type=2&prefix=a%2Fb", or empty
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<S3Upload> upload;
  // Larger responses abort the request (ranged GETs ask for at most this much).
  std::size_t max_response_bytes = 1 << 20;
};

struct S3Response {
  long status = 0;
  std::map<std::string, std::string> headers;  // names in lowercase
  std::string body;
  // S3's <Error><Code>/<Message> when the body carries one, else empty.
  std::string error_code;
  std::string error_message;

  // "403 SignatureDoesNotMatch: The request signature we calculated does not match..."
  std::string describe() const;
};

class S3Client {
 public:
  explicit S3Client(S3Connection connection);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  // Any HTTP status is returned; throws BlobError when no answer came (network, timeout), and
  // rethrows what the upload source threw (BlobTooLarge when it passed max_bytes).
  S3Response send(const S3Request& request);

 private:
  struct Pool;
  S3Connection connection_;
  std::shared_ptr<Pool> pool_;
};

}  // namespace nearhub::blob
