#pragma once
// Serializes the status line and header block of a response in one buffer, so that a response
// goes out in a single write together with its body.

#include <cstddef>
#include <string>
#include <string_view>

#include "http/response.h"

namespace nearhub::http {

// What the server adds to the handler's headers.
struct HeadOptions {
  std::string_view request_id;
  bool keep_alive = true;
  bool http10 = false;           // the client spoke HTTP/1.0: keep-alive must be explicit
  bool streaming = false;        // an event stream: no Content-Length, no reuse
  bool chunked = false;          // chunked transfer encoding (a stream, or a body of unknown size)
  bool close_delimited = false;  // no length: the body ends when the connection closes
  std::size_t content_length = 0;
};

// Appends the head to `out` (cleared first). Framing headers set by the handler
// (Content-Length, Transfer-Encoding, Connection) are replaced by the server's own.
void serialize_head(const Response& response, const HeadOptions& options, std::string& out);

// Whether a status may carry a body at all (1xx, 204 and 304 may not).
bool status_has_body(int status);

}  // namespace nearhub::http
