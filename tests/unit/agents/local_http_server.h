#pragma once
// A loopback HTTP server on nearhub's own http::Server (port 0) whose answers a test supplies as
// a function; it keeps every request it received. Plays a runner for HttpRunner's tests and the
// hub for the fake runner's.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "http/handler.h"
#include "http/server.h"

namespace nearhub::agents::testing {

class LocalHttpServer : public http::Handler {
 public:
  using Answer = std::function<http::Response(const http::Request&)>;

  explicit LocalHttpServer(Answer answer, unsigned short port = 0) : answer_(std::move(answer)) {
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.access_log = false;
    options.worker_threads = 4;
    options.shutdown_grace = std::chrono::milliseconds(5'000);
    server_ = std::make_unique<http::Server>(options, *this);
    server_->start();
  }
  ~LocalHttpServer() override {
    server_->stop();
    server_->wait();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  unsigned short port() const { return server_->port(); }

  struct Received {
    std::string method, target, content_type, authorization, body;
  };
  std::vector<Received> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

  std::size_t body_limit(const http::Request&) const override { return 16 * 1024 * 1024; }
  http::Response handle(http::Request& request) override {
    {
      std::lock_guard lock(mutex_);
      received_.push_back({request.method, request.target,
                           std::string(request.headers.get("Content-Type").value_or("")),
                           std::string(request.headers.get("Authorization").value_or("")),
                           request.body});
    }
    return answer_(request);
  }

 private:
  Answer answer_;
  mutable std::mutex mutex_;
  std::vector<Received> received_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace nearhub::agents::testing
