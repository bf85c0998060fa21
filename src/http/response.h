#pragma once
// The response a handler returns. A streaming response (Server-Sent Events) sets `stream`: the
// server sends the status and headers, then hands an SseWriter to `stream` on a worker thread;
// the callback stores the writer wherever events come from and returns at once.
// A large body (a file download) sets `body_source` instead of `body`: the server reads it in
// 64 KiB chunks on a worker thread and sends each chunk before reading the next, so a slow client
// slows the reads down instead of making the server buffer the file.
// A response whose answer comes from elsewhere (an upstream call) is made with Response::later:
// the handler returns at once and the answer is sent when it is given, so that no thread waits
// for it meanwhile.

#include <functional>
#include <memory>
#include <string>

#include "http/request.h"
#include "util/byte_source.h"

namespace nearhub::http {

class SseWriter;
struct Response;

// Completes a Response::later. Call it once, from any thread; later calls are ignored. When
// every copy is dropped uncalled, the client gets a 500.
class Respond {
 public:
  using Complete = std::function<void(Response)>;
  using Watch = std::function<void(std::function<void()>)>;
  explicit Respond(Complete complete, Watch watch = nullptr)
      : complete_(std::move(complete)), watch_(std::move(watch)) {}

  void operator()(Response response) const;
  // `callback` runs once if the client goes away before the response is given (at once if it
  // already has), on an I/O thread: it must only signal, e.g. cancel an upstream transfer.
  // Nothing calls it for a client that stays.
  void on_client_gone(std::function<void()> callback) const;

 private:
  Complete complete_;
  Watch watch_;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::function<void(std::shared_ptr<SseWriter>)> stream;
  // When set, the body is streamed from it with backpressure (Content-Length when size() is
  // known, else chunked; HTTP/1.0: ends with the connection). No Content-Type is added unless
  // the handler sets one. The server destroys it once sent, on client disconnect or shutdown.
  std::shared_ptr<util::ByteSource> body_source;
  // When set, nothing else is: the server calls it on a worker thread with the Respond that
  // finishes this request (see later()).
  std::function<void(Respond)> deferred;

  static Response make(int status, std::string content_type, std::string body);
  // `body` is already serialized JSON text.
  static Response json_text(int status, std::string body);
  // A 200 text/event-stream response whose events are produced by `start`.
  static Response event_stream(std::function<void(std::shared_ptr<SseWriter>)> start);
  // A response given later: `start` begins the work that produces it and returns without
  // waiting; the work calls the Respond with the real response (which is not itself `later`).
  // If the server stops first, the client gets a 503.
  static Response later(std::function<void(Respond)> start);
};

}  // namespace nearhub::http
