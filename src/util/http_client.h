#pragma once
// A small blocking HTTP client on libcurl, for outbound calls made from a thread that may wait
// (NEAR RPC, key lookups, agent runners, the CLI). Calls share kept-alive connections
// (curl_handle.h). Calls that must not hold a thread use http_async.h.

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nearhub::util {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent when not empty
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds total_timeout{30'000};
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

// The request never got an HTTP answer: bad URL, DNS, refused connection, timeout, TLS...
// An HTTP error status is not an exception: it is returned in HttpResponse::status.
class HttpClientError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thread-safe. Throws HttpClientError naming the URL and curl's reason.
HttpResponse send_http_request(const HttpRequest& request);

}  // namespace nearhub::util
