#pragma once
// The streaming sibling of send_http_request (http_client.h): the response body is handed to a
// callback piece by piece as it arrives, so a long answer (Server-Sent Events from an inference
// provider) is relayed without being buffered whole. The transfer can be cancelled at any time:
// by the callback returning false, or by `cancelled()` turning true while the peer is silent.

#include <functional>
#include <string_view>

#include "util/http_client.h"

namespace nearhub::util {

struct HttpStreamOptions {
  // Abort when no byte arrives for this long (0 = never); HttpRequest::total_timeout still
  // bounds the whole transfer (0 there = no bound, as a stream may last long).
  std::chrono::milliseconds idle_timeout{0};
  // Polled by curl about every 100 ms and between pieces; true aborts the transfer.
  std::function<bool()> cancelled;
};

// The transfer was stopped by the caller (callback returned false, or cancelled()).
class HttpStreamCancelled : public HttpClientError {
 public:
  using HttpClientError::HttpClientError;
};

// Runs `request`, calling `on_piece(status, bytes)` for every piece of the body (the status is
// known from the first piece on). Returns the final status (also when the body was empty).
// Throws HttpStreamCancelled when stopped by the caller, HttpClientError on transport failure.
long stream_http_request(const HttpRequest& request, const HttpStreamOptions& options,
                         const std::function<bool(long status, std::string_view piece)>& on_piece);

}  // namespace nearhub::util
