#pragma once
// A local stand-in for a NEAR JSON-RPC node, answering `query` / `view_access_key` the way a
// real node does, for the keys a test registers. Runs on nearhub's own HTTP server on port 0.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "http/handler.h"
#include "http/server.h"

namespace nearhub::e2e {

class FakeNearRpc : public http::Handler {
 public:
  enum class Permission { FullAccess, FunctionCall };

  FakeNearRpc();
  ~FakeNearRpc() override;

  void add_key(const std::string& account_id, const std::string& public_key, Permission permission);
  std::string url() const;
  // How many view_access_key queries arrived (to show caching).
  int queries() const;
  // Stops answering: connections are refused from now on.
  void stop();

  std::size_t body_limit(const http::Request&) const override { return 64 * 1024; }
  http::Response handle(http::Request& request) override;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Permission> keys_;
  int queries_ = 0;
  std::unique_ptr<http::Server> server_;
};

}  // namespace nearhub::e2e
