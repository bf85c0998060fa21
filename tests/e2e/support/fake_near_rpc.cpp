#include "e2e/support/fake_near_rpc.h"

#include <nlohmann/json.hpp>

namespace nearhub::e2e {

FakeNearRpc::FakeNearRpc() {
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.access_log = false;
  options.worker_threads = 1;
  server_ = std::make_unique<http::Server>(options, *this);
  server_->start();
}

FakeNearRpc::~FakeNearRpc() { stop(); }

void FakeNearRpc::add_key(const std::string& account_id, const std::string& public_key,
                          Permission permission) {
  std::lock_guard lock(mutex_);
  keys_[{account_id, public_key}] = permission;
}

std::string FakeNearRpc::url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

int FakeNearRpc::queries() const {
  std::lock_guard lock(mutex_);
  return queries_;
}

void FakeNearRpc::stop() {
  if (!server_) return;
  server_->stop();
  server_->wait();
  server_.reset();
}

http::Response FakeNearRpc::handle(http::Request& request) {
  const nlohmann::json call = nlohmann::json::parse(request.body, nullptr, false);
  if (call.is_discarded() || call.value("method", "") != "query") {
    return http::Response::json_text(400, R"({"error":"unsupported call"})");
  }
  const nlohmann::json& params = call["params"];
  const std::string account = params.value("account_id", "");
  const std::string key = params.value("public_key", "");
  nlohmann::json answer = {{"jsonrpc", "2.0"}, {"id", call.value("id", nlohmann::json())}};

  std::lock_guard lock(mutex_);
  ++queries_;
  auto found = keys_.find({account, key});
  if (found == keys_.end()) {
    // What nearcore answers for a key the account does not have.
    answer["error"] = {{"name", "HANDLER_ERROR"},
                       {"cause", {{"name", "UNKNOWN_ACCESS_KEY"}, {"info", {{"public_key", key}}}}},
                       {"code", -32000},
                       {"message", "Server error"}};
  } else if (found->second == Permission::FullAccess) {
    answer["result"] = {{"nonce", 1},
                        {"permission", "FullAccess"},
                        {"block_height", 1},
                        {"block_hash", "11111111111111111111111111111111"}};
  } else {
    answer["result"] = {{"nonce", 1},
                        {"permission",
                         {{"FunctionCall",
                           {{"allowance", nullptr},
                            {"receiver_id", "app.near"},
                            {"method_names", nlohmann::json::array()}}}}},
                        {"block_height", 1},
                        {"block_hash", "11111111111111111111111111111111"}};
  }
  return http::Response::json_text(200, answer.dump());
}

}  // namespace nearhub::e2e
