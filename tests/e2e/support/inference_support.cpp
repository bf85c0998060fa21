#include "e2e/support/inference_support.h"

#include <fstream>
#include <thread>

#include "inference/sse_parser.h"
#include "util/http_stream.h"

namespace nearhub::e2e {

std::filesystem::path write_config(const std::string& text) {
  const std::filesystem::path path = make_temp_dir("nearhub-e2e-config") / "nearhub.toml";
  std::ofstream(path) << text;
  return path;
}

ServerProcess::Options inference_server_options(const std::string& toml,
                                                std::map<std::string, std::string> environment) {
  environment.emplace("NEARHUB_ACCESS_LOG", "false");
  environment.emplace("NEARHUB_INFERENCE_USAGE_FLUSH_INTERVAL_MS", "50");
  environment.emplace("NEARHUB_INFERENCE_RETRY_BACKOFF_MS", "20");
  return {.environment = std::move(environment),
          .arguments = {"--config", write_config(toml).string()}};
}

std::vector<UsageRecord> usage_rows(const ServerProcess& server, const std::string& account_id,
                                    std::size_t at_least, std::chrono::milliseconds wait) {
  auto database = db::open(server.database_url(), {.pool_size = 1});
  std::vector<UsageRecord> rows;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    rows.clear();
    for (const db::Row& r : database->session()->query(
             "SELECT account_id, model, provider, endpoint, query, response, prompt_tokens, "
             "completion_tokens, total_tokens FROM completions WHERE account_id = ? ORDER BY id",
             {account_id})) {
      rows.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5),
                      r.integer(6), r.integer(7), r.integer(8)});
    }
    if (rows.size() >= at_least || std::chrono::steady_clock::now() > deadline) return rows;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

StreamReply post_stream(const std::string& url, const std::string& body, const HeaderList& headers,
                        const std::function<bool(const std::string&)>& on_event) {
  return stream_request("POST", url, body, headers, on_event);
}

StreamReply stream_request(const std::string& method, const std::string& url,
                           const std::string& body, const HeaderList& headers,
                           const std::function<bool(const std::string& data)>& on_event) {
  util::HttpRequest request;
  request.method = method;
  request.url = url;
  request.body = body;
  request.headers = headers;
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.total_timeout = std::chrono::seconds(60);
  StreamReply reply;
  inference::SseParser parser;
  bool keep_going = true;
  try {
    reply.status = util::stream_http_request(request, {}, [&](long status, std::string_view piece) {
      reply.status = status;
      reply.body.append(piece);
      parser.feed(piece, [&](const std::string& data) {
        reply.events.push_back(data);
        if (keep_going && on_event && !on_event(data)) keep_going = false;
      });
      return keep_going;
    });
  } catch (const util::HttpStreamCancelled&) {
    // We hung up, as asked by on_event.
  }
  return reply;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

}  // namespace nearhub::e2e

#include <curl/curl.h>

namespace nearhub::e2e {

namespace {

std::size_t append_to(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t header_line(char* data, std::size_t size, std::size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    (*headers)[name] = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  }
  return size * count;
}

}  // namespace

ReplyWithHeaders post_with_headers(const std::string& url, const std::string& body,
                                   const HeaderList& headers) {
  ReplyWithHeaders reply;
  CURL* curl = curl_easy_init();
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
  for (const auto& [name, value] : headers)
    list = curl_slist_append(list, (name + ": " + value).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_to);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header_line);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return reply;
}

}  // namespace nearhub::e2e
