#pragma once
// Plain HTTP calls to a running nearhub, over loopback, for end-to-end tests.

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace nearhub::e2e {

struct Reply {
  long status = 0;
  std::string body;
  // The body as JSON (throws if it is not JSON).
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class Client {
 public:
  explicit Client(std::string base_url) : base_url_(std::move(base_url)) {}

  Reply get(const std::string& path, const HeaderList& headers = {}) const;
  Reply post(const std::string& path, const std::string& body = "",
             const HeaderList& headers = {}) const;
  Reply request(const std::string& method, const std::string& path, const std::string& body,
                const HeaderList& headers) const;

 private:
  std::string base_url_;
};

// {"Authorization", "Bearer <token>"}.
HeaderList bearer(const std::string& token);

}  // namespace nearhub::e2e
