#pragma once
// Shared pieces of the inference e2e tests: a nearhub configured with providers from a TOML
// file, the usage rows it wrote, and a streaming client.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "db/database.h"
#include "e2e/support/client.h"
#include "e2e/support/server_process.h"

namespace nearhub::e2e {

// A TOML file with `text` in a fresh temporary directory (left for the OS to clean).
std::filesystem::path write_config(const std::string& text);

// Options for a nearhub reading `toml`, usage rows written within ~50 ms, quiet access log.
ServerProcess::Options inference_server_options(
    const std::string& toml, std::map<std::string, std::string> environment = {});

struct UsageRecord {
  std::string account_id, model, provider, endpoint, query, response;
  std::int64_t prompt_tokens = 0, completion_tokens = 0, total_tokens = 0;
};
// The server's `completions` rows for `account_id`, waiting up to `wait` for at least `at_least`.
std::vector<UsageRecord> usage_rows(const ServerProcess& server, const std::string& account_id,
                                    std::size_t at_least = 1,
                                    std::chrono::milliseconds wait = std::chrono::seconds(5));

struct StreamReply {
  long status = 0;
  std::string body;                 // everything received
  std::vector<std::string> events;  // data of each SSE event, in order
};
// POSTs `body` and reads the answer as it arrives; `on_event` (optional) sees each event's data
// and may return false to hang up.
StreamReply post_stream(const std::string& url, const std::string& body, const HeaderList& headers,
                        const std::function<bool(const std::string& data)>& on_event = {});
// The same for any method; an empty body sends none (e.g. GET of a run stream).
StreamReply stream_request(const std::string& method, const std::string& url,
                           const std::string& body, const HeaderList& headers,
                           const std::function<bool(const std::string& data)>& on_event = {});

// Polls `condition` every 20 ms for up to `timeout`.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace nearhub::e2e

namespace nearhub::e2e {

struct ReplyWithHeaders {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
};
// A POST that also returns the response headers (Client does not keep them).
ReplyWithHeaders post_with_headers(const std::string& url, const std::string& body,
                                   const HeaderList& headers);

}  // namespace nearhub::e2e
