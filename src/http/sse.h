#pragma once
// Writes Server-Sent Events to one client. Safe to call from any thread; writes are queued and
// sent by the connection's I/O thread, so no thread ever waits on a slow client.

#include <functional>
#include <string>
#include <string_view>

namespace nearhub::http {

class SseWriter {
 public:
  virtual ~SseWriter() = default;

  // Queues raw bytes for the client. Returns false once the stream is closed.
  virtual bool write(std::string bytes) = 0;
  // Ends the response after everything queued so far has been sent.
  virtual void close() = 0;
  virtual bool is_closed() const = 0;
  // Runs `callback` once, when the stream ends for any reason (client gone, close(), shutdown).
  // Runs at once if the stream has already ended.
  virtual void on_close(std::function<void()> callback) = 0;

  // "data: <data>\n\n": one event with no event: line (the hub's wire format).
  bool send_data(std::string_view data);
  // ": <text>\n\n": a comment, used as a heartbeat.
  bool send_comment(std::string_view text);
};

}  // namespace nearhub::http
