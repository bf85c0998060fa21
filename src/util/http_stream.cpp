#include "util/http_stream.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "util/curl_handle.h"

namespace nearhub::util {
namespace {

struct Transfer {
  CURL* handle = nullptr;
  const HttpStreamOptions* options = nullptr;
  const std::function<bool(long, std::string_view)>* on_piece = nullptr;
  bool stopped_by_caller = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  long status = 0;
  curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
  if (!(*transfer->on_piece)(status, std::string_view(data, size * count))) {
    transfer->stopped_by_caller = true;
    return 0;  // anything short of size*count makes curl abort with CURLE_WRITE_ERROR
  }
  return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->options->cancelled && transfer->options->cancelled()) {
    transfer->stopped_by_caller = true;
    return 1;  // non-zero aborts with CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

}  // namespace

long stream_http_request(const HttpRequest& request, const HttpStreamOptions& options,
                         const std::function<bool(long, std::string_view)>& on_piece) {
  CurlHandle curl = make_curl_handle();

  CurlHeaderList headers = make_curl_headers(request.headers);

  Transfer transfer{curl.get(), &options, &on_piece};
  CURL* handle = curl.get();
  apply_request(handle, request, headers.get());
  if (options.idle_timeout.count() > 0) {
    // "Fewer than 1 byte/s for N seconds" is curl's idle timeout.
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(
        handle, CURLOPT_LOW_SPEED_TIME,
        static_cast<long>(std::max<std::int64_t>(1, options.idle_timeout.count() / 1000)));
  }
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &transfer);
  // Relay small pieces at once rather than coalescing them.
  curl_easy_setopt(handle, CURLOPT_TCP_NODELAY, 1L);

  const CURLcode result = curl_easy_perform(handle);
  if (transfer.stopped_by_caller) {
    throw HttpStreamCancelled(request.method + " " + request.url + ": cancelled");
  }
  if (result != CURLE_OK) {
    throw HttpClientError(request.method + " " + request.url + ": " + curl_easy_strerror(result));
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

}  // namespace nearhub::util
