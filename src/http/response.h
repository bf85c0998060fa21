#pragma once
// The response a handler returns. A streaming response (Server-Sent Events) sets `stream`: the
// server sends the status and headers, then hands an SseWriter to `stream` on a worker thread;
// the callback stores the writer wherever events come from and returns at once.

#include <functional>
#include <memory>
#include <string>

#include "http/request.h"

namespace nearhub::http {

class SseWriter;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::function<void(std::shared_ptr<SseWriter>)> stream;

  static Response make(int status, std::string content_type, std::string body);
  // `body` is already serialized JSON text.
  static Response json_text(int status, std::string body);
  // A 200 text/event-stream response whose events are produced by `start`.
  static Response event_stream(std::function<void(std::shared_ptr<SseWriter>)> start);
};

}  // namespace nearhub::http
