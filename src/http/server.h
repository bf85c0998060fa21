#pragma once
// The HTTP/1.1 server: Boost.Beast on Asio I/O threads, handlers on a worker pool.
// Beast and Asio stay inside http/*.cpp; this header shows none of them.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "http/handler.h"

namespace nearhub::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  unsigned short port = 8081;  // 0 = any free port (see Server::port())
  unsigned io_threads = 1;
  unsigned worker_threads = 4;
  std::size_t max_header_bytes = 16 * 1024;          // above → 431
  std::chrono::milliseconds header_timeout{10'000};  // whole header must arrive in time → 408
  std::chrono::milliseconds body_timeout{60'000};    // whole body must arrive in time → 408
  std::chrono::milliseconds idle_timeout{75'000};    // keep-alive connection with no request
  std::chrono::milliseconds shutdown_grace{20'000};  // in-flight requests may finish
  bool access_log = true;
  // Where spooled request bodies (Handler::spool_body) are written; empty = the system's
  // temporary directory. Created when missing.
  std::string spool_dir;
  // CORS (spec/platform.md §1.2). Origins allowed to send credentials; "*" alone = any origin
  // without credentials. An origin is echoed only if listed here.
  std::vector<std::string> cors_credential_origins;
};

class Server {
 public:
  Server(ServerOptions options, Handler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws std::runtime_error with a clear message when it cannot.
  void start();
  // The bound port (useful with port 0).
  unsigned short port() const;
  // Stops accepting, lets in-flight requests finish (up to shutdown_grace), closes streams.
  void stop();
  // Blocks until stop() has completed.
  void wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nearhub::http
