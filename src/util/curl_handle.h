#pragma once
// libcurl handles for the outbound clients of util/ (http_client, http_stream): initialised once
// per process, and sharing one connection and DNS cache, so repeated calls to the same host (an
// inference provider, NEAR RPC) reuse a kept-alive connection instead of paying a TCP (and TLS)
// handshake per request. Internal to util/: other areas use http_client.h and http_stream.h.

#include <curl/curl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nearhub::util {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct CurlMultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct CurlHeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlMultiHandle = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlHeaderList = std::unique_ptr<curl_slist, CurlHeaderListDeleter>;

struct HttpRequest;

// A new easy handle attached to the process-wide connection cache. Throws HttpClientError.
CurlHandle make_curl_handle();

// A new multi handle (util/http_async). Throws HttpClientError.
CurlMultiHandle make_curl_multi();

// "Name: value" lines for CURLOPT_HTTPHEADER. Throws HttpClientError.
CurlHeaderList make_curl_headers(const std::vector<std::pair<std::string, std::string>>& headers);

// Sets what every outbound call sets the same way: method, URL, body, headers, connect and
// total timeouts, no signals. The body and `headers` are referenced, not copied: both must
// outlive the transfer.
void apply_request(CURL* handle, const HttpRequest& request, curl_slist* headers);

}  // namespace nearhub::util
