#pragma once
// The SseWriter the server hands to a streaming response. Producers on any thread queue bytes;
// the connection's executor sends them, coalescing everything queued into one chunk per write,
// so no producer ever waits for a slow client. A client that falls 8 MiB behind is dropped.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/asio.h"
#include "http/sse.h"

namespace nearhub::http {

class Connection;

class StreamWriter final : public SseWriter, public std::enable_shared_from_this<StreamWriter> {
 public:
  // `chunked`: frame the bytes with chunked transfer encoding (HTTP/1.1 clients).
  // `callback_pool`: where on_close callbacks run, never on an I/O thread.
  StreamWriter(std::shared_ptr<Connection> connection, bool chunked,
               asio::thread_pool& callback_pool);

  bool write(std::string bytes) override;
  void close() override;
  bool is_closed() const override;
  void on_close(std::function<void()> callback) override;

  // On the connection's executor: the stream is over (client gone, write error, shutdown).
  // Closes the socket and runs the on_close callbacks once. Idempotent.
  void end();

 private:
  void schedule_flush();  // with mutex_ held
  void flush();           // on the connection's executor

  const bool chunked_;
  asio::thread_pool& callback_pool_;
  asio::any_io_executor executor_;

  mutable std::mutex mutex_;
  std::string queued_;
  bool closing_ = false;  // close() was called: nothing more may be queued
  bool ended_ = false;
  bool flush_scheduled_ = false;
  std::vector<std::function<void()>> on_close_;

  // Touched only on the connection's executor.
  std::shared_ptr<Connection> connection_;  // released when the stream ends
  bool writing_ = false;
  std::string chunk_;  // the bytes of the write in flight
};

}  // namespace nearhub::http
