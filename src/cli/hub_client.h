#pragma once
// How client commands reach a hub: which server, and which token. The token is either signed now
// from a NEAR credentials file (--credentials) or the saved login of the nearai CLI
// (~/.nearai/config.json "auth"), so a developer logged in with `nearai login` needs nothing
// more. The server is --hub-url, else NEARHUB_URL, else the nearai config's "api_url", else a
// local nearhub on its default port.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command_error.h"

namespace nearhub::cli {

struct HubOptions {
  std::string hub_url;           // --hub-url
  std::string credentials_file;  // --credentials
};

struct HubTarget {
  std::string base_url;    // without a trailing slash, e.g. "http://127.0.0.1:8081"
  std::string token;       // bearer token JSON text; empty when anonymous
  std::string account_id;  // the account the token acts for (on_behalf_of when set)
};

using EnvironmentLookup = std::function<std::optional<std::string>(const std::string&)>;

// Throws CommandError when `need_token` and no token can be had, naming both ways to get one.
HubTarget resolve_hub_target(const HubOptions& options, bool need_token,
                             const EnvironmentLookup& environment);
EnvironmentLookup process_environment();

// The hub answered with an error status: `detail` is its "detail" (or the raw body).
class HubError : public CommandError {
 public:
  HubError(long status, std::string detail);
  long status() const { return status_; }
  const std::string& detail() const { return detail_; }

 private:
  long status_;
  std::string detail_;
};

class HubClient {
 public:
  explicit HubClient(HubTarget target) : target_(std::move(target)) {}
  const HubTarget& target() const { return target_; }

  // POST with a JSON body; returns the parsed JSON answer. Throws HubError on a non-2xx status.
  nlohmann::json post_json(const std::string& path, const nlohmann::json& body) const;
  // POST with the inputs as query parameters and no body (list_entries).
  nlohmann::json post_query(const std::string& path,
                            const std::vector<std::pair<std::string, std::string>>& query) const;
  // multipart/form-data POST of text fields and one file part named "file", streamed from disk.
  nlohmann::json post_file(const std::string& path,
                           const std::vector<std::pair<std::string, std::string>>& fields,
                           const std::filesystem::path& file) const;
  // POST with a JSON body whose answer (raw bytes) streams into `destination`, written to a
  // temporary file first so a failed download never leaves a truncated file behind.
  void download(const std::string& path, const nlohmann::json& body,
                const std::filesystem::path& destination) const;

 private:
  HubTarget target_;
};

}  // namespace nearhub::cli
