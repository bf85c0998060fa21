#include "util/http_client.h"

#include <curl/curl.h>

#include "util/curl_handle.h"

namespace nearhub::util {
namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

HttpResponse send_http_request(const HttpRequest& request) {
  CurlHandle curl = make_curl_handle();
  CurlHeaderList headers = make_curl_headers(request.headers);

  HttpResponse response;
  CURL* handle = curl.get();
  apply_request(handle, request, headers.get());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response.body);

  const CURLcode result = curl_easy_perform(handle);
  if (result != CURLE_OK) {
    throw HttpClientError(request.method + " " + request.url + ": " + curl_easy_strerror(result));
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace nearhub::util
