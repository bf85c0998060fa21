#pragma once
// The registry calls of the nearai CLI and web UI (spec/platform.md §6, §7), over HTTP, for
// end-to-end tests: JSON bodies, urlencoded forms, multipart uploads, and replies with their
// headers (download_file must carry no Content-Type).

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nearhub::e2e {

struct FullReply {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
  // {"detail": ...} of an error body.
  std::string detail() const;
};

struct Location {
  std::string namespace_, name, version;
  nlohmann::json json() const {
    return {{"namespace", namespace_}, {"name", name}, {"version", version}};
  }
};

class RegistryApi {
 public:
  explicit RegistryApi(std::string base_url) : base_url_(std::move(base_url)) {}

  // `token` empty = no Authorization header.
  FullReply upload_metadata(const std::string& token, const Location& at,
                            const nlohmann::json& metadata) const;
  FullReply upload_file(const std::string& token, const Location& at, const std::string& path,
                        const std::string& data) const;
  FullReply download_file(const std::string& token, const Location& at,
                          const std::string& path) const;
  FullReply download_metadata(const std::string& token, const Location& at) const;
  FullReply list_files(const std::string& token, const Location& at) const;
  // `query` is the raw query string, e.g. "namespace=a&tags=x,y".
  FullReply list_entries(const std::string& query = "") const;
  FullReply fork(const std::string& token, const Location& source, const std::string& name,
                 const std::string& version, const std::string& description = "forked") const;
  FullReply add_star(const std::string& token, const std::string& namespace_,
                     const std::string& name) const;
  FullReply remove_star(const std::string& token, const std::string& namespace_,
                        const std::string& name) const;
  FullReply grant_permission(const std::string& token, const std::string& query) const;
  FullReply revoke_permission(const std::string& token, const std::string& query) const;

  // Any POST: `content_type` empty = none.
  FullReply post(const std::string& path, const std::string& token, const std::string& body,
                 const std::string& content_type) const;

 private:
  std::string base_url_;
};

// A metadata object with the five required fields.
nlohmann::json entry_metadata(const std::string& category = "agent",
                              const nlohmann::json& details = nlohmann::json::object(),
                              const nlohmann::json& tags = nlohmann::json::array(),
                              bool show_entry = true, const std::string& description = "d");

// Publishes a prompt agent (docs/agents.md) "<who's account>/<name>/1.0.0" with `instructions`
// and `model` as its default model, through `registry`; returns its id. Fails the test if
// the registry refuses.
std::string publish_prompt_agent(const RegistryApi& registry, const std::string& token,
                                 const std::string& account_id, const std::string& name,
                                 const std::string& instructions,
                                 const std::string& model = "local::test-model");

}  // namespace nearhub::e2e
