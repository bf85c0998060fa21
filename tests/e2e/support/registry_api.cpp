#include "e2e/support/registry_api.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <random>
#include <stdexcept>

#include <gtest/gtest.h>

namespace nearhub::e2e {

namespace {

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::size_t write_header(char* data, std::size_t size, std::size_t count, void* out) {
  std::string line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * count;
}

std::string url_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      static const char* digits = "0123456789ABCDEF";
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::string form(const std::map<std::string, std::string>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += url_encode(name) + "=" + url_encode(value);
  }
  return out;
}

nlohmann::json wrapped(const Location& at) { return {{"entry_location", at.json()}}; }

}  // namespace

std::string FullReply::detail() const {
  const nlohmann::json body = nlohmann::json::parse(this->body, nullptr, false);
  if (body.is_object() && body.contains("detail") && body["detail"].is_string()) {
    return body["detail"];
  }
  return "<no detail: " + this->body + ">";
}

FullReply RegistryApi::post(const std::string& path, const std::string& token,
                            const std::string& body, const std::string& content_type) const {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  FullReply reply;
  curl_slist* headers = nullptr;
  if (!token.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  headers = curl_slist_append(headers, "Expect:");
  const std::string url = base_url_ + path;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &reply.headers);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 60L);
  const CURLcode code = curl_easy_perform(curl.get());
  curl_slist_free_all(headers);
  if (code != CURLE_OK) throw std::runtime_error(url + ": " + curl_easy_strerror(code));
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

FullReply RegistryApi::upload_metadata(const std::string& token, const Location& at,
                                       const nlohmann::json& metadata) const {
  nlohmann::json body = wrapped(at);
  body["metadata"] = metadata;
  return post("/v1/registry/upload_metadata", token, body.dump(), "application/json");
}

FullReply RegistryApi::upload_file(const std::string& token, const Location& at,
                                   const std::string& path, const std::string& data) const {
  // As the generated Python client sends it: four text fields and the file part.
  std::random_device random;
  const std::string boundary = "nearhubtest" + std::to_string(random()) + std::to_string(random());
  std::string body;
  auto field = [&](const std::string& name, const std::string& value) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  };
  field("path", path);
  field("namespace", at.namespace_);
  field("name", at.name);
  field("version", at.version);
  body += "--" + boundary +
          "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n"
          "Content-Type: application/octet-stream\r\n\r\n" +
          data + "\r\n--" + boundary + "--\r\n";
  return post("/v1/registry/upload_file", token, body, "multipart/form-data; boundary=" + boundary);
}

FullReply RegistryApi::download_file(const std::string& token, const Location& at,
                                     const std::string& path) const {
  nlohmann::json body = wrapped(at);
  body["path"] = path;
  return post("/v1/registry/download_file", token, body.dump(), "application/json");
}

FullReply RegistryApi::download_metadata(const std::string& token, const Location& at) const {
  return post("/v1/registry/download_metadata", token, wrapped(at).dump(), "application/json");
}

FullReply RegistryApi::list_files(const std::string& token, const Location& at) const {
  return post("/v1/registry/list_files", token, wrapped(at).dump(), "application/json");
}

FullReply RegistryApi::list_entries(const std::string& query) const {
  return post("/v1/registry/list_entries" + (query.empty() ? "" : "?" + query), "", "",
              "application/json");
}

FullReply RegistryApi::fork(const std::string& token, const Location& source,
                            const std::string& name, const std::string& version,
                            const std::string& description) const {
  nlohmann::json body = wrapped(source);
  body["modifications"] = {{"name", name}, {"version", version}, {"description", description}};
  return post("/v1/registry/fork", token, body.dump(), "application/json");
}

FullReply RegistryApi::add_star(const std::string& token, const std::string& namespace_,
                                const std::string& name) const {
  return post("/v1/stars/add_star", token, form({{"namespace", namespace_}, {"name", name}}),
              "application/x-www-form-urlencoded");
}

FullReply RegistryApi::remove_star(const std::string& token, const std::string& namespace_,
                                   const std::string& name) const {
  return post("/v1/stars/remove_star", token, form({{"namespace", namespace_}, {"name", name}}),
              "application/x-www-form-urlencoded");
}

FullReply RegistryApi::grant_permission(const std::string& token, const std::string& query) const {
  return post("/v1/permissions/grant_permission?" + query, token, "", "application/json");
}

FullReply RegistryApi::revoke_permission(const std::string& token, const std::string& query) const {
  return post("/v1/permissions/revoke_permission?" + query, token, "", "application/json");
}

nlohmann::json entry_metadata(const std::string& category, const nlohmann::json& details,
                              const nlohmann::json& tags, bool show_entry,
                              const std::string& description) {
  return {{"category", category},
          {"description", description},
          {"tags", tags},
          {"details", details},
          {"show_entry", show_entry}};
}

std::string publish_prompt_agent(const RegistryApi& registry, const std::string& token,
                                 const std::string& account_id, const std::string& name,
                                 const std::string& instructions, const std::string& model) {
  const Location at{account_id, name, "1.0.0"};
  const nlohmann::json details = {
      {"agent", {{"framework", "prompt"}, {"defaults", {{"model", model}}}}}};
  const FullReply metadata = registry.upload_metadata(token, at, entry_metadata("agent", details));
  EXPECT_EQ(metadata.status, 200) << metadata.body;
  const FullReply file = registry.upload_file(token, at, "instructions.md", instructions);
  EXPECT_EQ(file.status, 200) << file.body;
  return account_id + "/" + name + "/1.0.0";
}

}  // namespace nearhub::e2e
