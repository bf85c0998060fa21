#include "cli/hub_client.h"

#include <curl/curl.h>

#include <cstdlib>
#include <fstream>
#include <memory>

#include "auth/credentials.h"
#include "auth/token_signer.h"
#include "util/http_client.h"
#include "util/time.h"
#include "util/url.h"

namespace nearhub::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLocalHub = "http://127.0.0.1:8081";

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The nearai CLI's saved configuration, or null when there is none.
nlohmann::json read_nearai_config(const EnvironmentLookup& environment) {
  const auto home = environment("HOME");
  if (!home || home->empty()) return nullptr;
  const fs::path path = fs::path(*home) / ".nearai" / "config.json";
  std::ifstream file(path);
  if (!file) return nullptr;
  nlohmann::json config = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object()) {
    throw CommandError(path.string() + " is not a JSON object");
  }
  return config;
}

std::string string_field(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// The error detail of a hub answer: its "detail" when it is the original's error body.
std::string error_detail(const std::string& body) {
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    if (auto detail = parsed.find("detail"); detail != parsed.end()) {
      return detail->is_string() ? detail->get<std::string>() : detail->dump();
    }
    if (auto message = parsed.find("message"); message != parsed.end() && message->is_string()) {
      return message->get<std::string>();
    }
  }
  return body;
}

nlohmann::json parse_answer(const util::HttpResponse& response) {
  if (response.status < 200 || response.status >= 300) {
    throw HubError(response.status, error_detail(response.body));
  }
  nlohmann::json parsed = nlohmann::json::parse(response.body, nullptr, false);
  if (parsed.is_discarded()) throw CommandError("the hub answered something that is not JSON");
  return parsed;
}

std::vector<std::pair<std::string, std::string>> auth_headers(const HubTarget& target) {
  if (target.token.empty()) return {};
  return {{"Authorization", "Bearer " + target.token}};
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct MimeDeleter {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};
struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// A curl handle set up for a POST to the hub with the caller's token.
class HubRequest {
 public:
  HubRequest(const HubTarget& target, const std::string& path) {
    // curl_easy_init initialises libcurl on first use; safe here, the CLI has one thread.
    curl_.reset(curl_easy_init());
    if (!curl_) throw CommandError("libcurl could not create a handle");
    url_ = target.base_url + path;
    curl_easy_setopt(curl_.get(), CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_.get(), CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
    for (const auto& [name, value] : auth_headers(target)) add_header(name + ": " + value);
  }
  CURL* handle() { return curl_.get(); }
  void add_header(const std::string& line) {
    headers_.reset(curl_slist_append(headers_.release(), line.c_str()));
  }
  // Runs the transfer; returns the HTTP status.
  long perform() {
    curl_easy_setopt(curl_.get(), CURLOPT_HTTPHEADER, headers_.get());
    const CURLcode code = curl_easy_perform(curl_.get());
    if (code != CURLE_OK) {
      throw CommandError("cannot reach " + url_ + ": " + curl_easy_strerror(code));
    }
    long status = 0;
    curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &status);
    return status;
  }

 private:
  std::unique_ptr<CURL, CurlDeleter> curl_;
  std::unique_ptr<curl_slist, HeaderListDeleter> headers_;
  std::string url_;
};

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Where a download's bytes go: the file while the status is a success, else an error buffer.
struct DownloadSink {
  CURL* curl;
  std::ofstream* file;
  std::string error_body;
};

std::size_t write_download(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<DownloadSink*>(user);
  long status = 0;
  curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) {
    sink->file->write(data, static_cast<std::streamsize>(size * count));
    if (!*sink->file) return 0;  // makes curl stop with a write error
  } else {
    sink->error_body.append(data, size * count);
  }
  return size * count;
}

}  // namespace

HubError::HubError(long status, std::string detail)
    : CommandError("the hub answered " + std::to_string(status) + ": " + detail),
      status_(status),
      detail_(std::move(detail)) {}

EnvironmentLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

HubTarget resolve_hub_target(const HubOptions& options, bool need_token,
                             const EnvironmentLookup& environment) {
  const nlohmann::json nearai_config = read_nearai_config(environment);
  HubTarget target;
  if (!options.hub_url.empty()) {
    target.base_url = options.hub_url;
  } else if (auto url = environment("NEARHUB_URL"); url && !url->empty()) {
    target.base_url = *url;
  } else if (nearai_config.is_object() && !string_field(nearai_config, "api_url").empty()) {
    target.base_url = string_field(nearai_config, "api_url");
  } else {
    target.base_url = kLocalHub;
  }
  target.base_url = without_trailing_slash(target.base_url);

  if (!options.credentials_file.empty()) {
    try {
      const auth::NearCredentials credentials = auth::load_credentials(options.credentials_file);
      auth::TokenRequest request;
      request.nonce = std::to_string(util::now_unix_ms());
      target.token = auth::make_token(credentials, request);
      target.account_id = credentials.account_id;
    } catch (const std::exception& error) {
      throw CommandError(error.what());
    }
  } else if (nearai_config.is_object() && nearai_config.contains("auth") &&
             nearai_config["auth"].is_object()) {
    // The nearai CLI sends its saved auth object as the token, exactly as stored.
    const nlohmann::json& saved = nearai_config["auth"];
    target.token = saved.dump();
    target.account_id = string_field(saved, "on_behalf_of");
    if (target.account_id.empty()) target.account_id = string_field(saved, "account_id");
  }
  if (need_token && target.token.empty()) {
    throw CommandError(
        "no login: pass --credentials FILE (a NEAR credentials JSON, see `nearhub keys new`) or "
        "log in with the nearai CLI (`nearai login`, saved in ~/.nearai/config.json)");
  }
  return target;
}

nlohmann::json HubClient::post_json(const std::string& path, const nlohmann::json& body) const {
  util::HttpRequest request;
  request.method = "POST";
  request.url = target_.base_url + path;
  request.headers = auth_headers(target_);
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = body.dump();
  try {
    return parse_answer(util::send_http_request(request));
  } catch (const util::HttpClientError& error) {
    throw CommandError(error.what());
  }
}

nlohmann::json HubClient::post_query(
    const std::string& path, const std::vector<std::pair<std::string, std::string>>& query) const {
  util::HttpRequest request;
  request.method = "POST";
  request.url = target_.base_url + path;
  char separator = '?';
  for (const auto& [name, value] : query) {
    request.url += separator + util::percent_encode(name) + "=" + util::percent_encode(value);
    separator = '&';
  }
  request.headers = auth_headers(target_);
  try {
    return parse_answer(util::send_http_request(request));
  } catch (const util::HttpClientError& error) {
    throw CommandError(error.what());
  }
}

nlohmann::json HubClient::post_file(const std::string& path,
                                    const std::vector<std::pair<std::string, std::string>>& fields,
                                    const std::filesystem::path& file) const {
  HubRequest request(target_, path);
  std::unique_ptr<curl_mime, MimeDeleter> mime(curl_mime_init(request.handle()));
  for (const auto& [name, value] : fields) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, name.c_str());
    curl_mime_data(part, value.data(), value.size());
  }
  curl_mimepart* file_part = curl_mime_addpart(mime.get());
  curl_mime_name(file_part, "file");
  // curl reads the file while sending: it is never loaded whole.
  if (curl_mime_filedata(file_part, file.c_str()) != CURLE_OK) {
    throw CommandError("cannot read " + file.string());
  }
  curl_mime_filename(file_part, file.filename().c_str());
  curl_easy_setopt(request.handle(), CURLOPT_MIMEPOST, mime.get());
  request.add_header("Expect:");  // no 100-continue round trip before each file
  std::string answer;
  curl_easy_setopt(request.handle(), CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(request.handle(), CURLOPT_WRITEDATA, &answer);
  const long status = request.perform();
  return parse_answer(util::HttpResponse{status, std::move(answer)});
}

void HubClient::download(const std::string& path, const nlohmann::json& body,
                         const std::filesystem::path& destination) const {
  if (destination.has_parent_path()) fs::create_directories(destination.parent_path());
  const fs::path partial = destination.string() + ".partial";
  std::ofstream file(partial, std::ios::binary | std::ios::trunc);
  if (!file) throw CommandError("cannot write " + partial.string());

  HubRequest request(target_, path);
  request.add_header("Content-Type: application/json");
  const std::string text = body.dump();
  curl_easy_setopt(request.handle(), CURLOPT_POSTFIELDS, text.c_str());
  curl_easy_setopt(request.handle(), CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(text.size()));
  DownloadSink sink{request.handle(), &file, {}};
  curl_easy_setopt(request.handle(), CURLOPT_WRITEFUNCTION, write_download);
  curl_easy_setopt(request.handle(), CURLOPT_WRITEDATA, &sink);
  long status = 0;
  try {
    status = request.perform();
  } catch (...) {
    fs::remove(partial);
    throw;
  }
  file.close();
  if (status < 200 || status >= 300) {
    fs::remove(partial);
    throw HubError(status, error_detail(sink.error_body));
  }
  if (!file) {
    fs::remove(partial);
    throw CommandError("cannot write " + partial.string());
  }
  fs::rename(partial, destination);
}

}  // namespace nearhub::cli
