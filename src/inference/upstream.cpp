#include "inference/upstream.h"

#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace nearhub::inference {

namespace {

// Long upstream error bodies are cut in the client's message.
std::string excerpt(const std::string& body) {
  constexpr std::size_t kMax = 2000;
  return body.size() <= kMax ? body : body.substr(0, kMax) + "...";
}

}  // namespace

util::HttpRequest upstream_request(const Provider& provider, const std::string& method,
                                   const std::string& path, std::string body,
                                   const UpstreamOptions& options) {
  util::HttpRequest request;
  request.method = method;
  request.url = provider.base_url + path;
  request.body = std::move(body);
  if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("Accept", "application/json");
  if (!provider.api_key.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + provider.api_key);
  }
  request.connect_timeout = options.connect_timeout;
  request.total_timeout = options.read_timeout;
  return request;
}

UpstreamAnswer call_upstream(const Provider& provider, const std::string& method,
                             const std::string& path, const std::string& body,
                             const UpstreamOptions& options) {
  const util::HttpRequest request = upstream_request(provider, method, path, body, options);
  UpstreamAnswer answer;
  for (int attempt = 1;; ++attempt) {
    answer = {};
    try {
      const util::HttpResponse response = util::send_http_request(request);
      answer.status = response.status;
      answer.body = response.body;
    } catch (const util::HttpClientError& error) {
      answer.transport_error = error.what();
    }
    if (answer.ok() || !options.retry.may_retry(attempt, answer.status)) return answer;
    spdlog::warn("inference: {} {} answered {}{}; retry {} of {}", method, request.url,
                 answer.status, answer.transport_error.empty() ? "" : " " + answer.transport_error,
                 attempt, options.retry.retries);
    std::this_thread::sleep_for(options.retry.delay(attempt));
  }
}

bool worth_fallback(const UpstreamAnswer& answer) {
  return answer.status == 0 || answer.status == 404 || answer.status == 429 || answer.status >= 500;
}

api::Error upstream_error(const ModelRef& model, const UpstreamAnswer& answer) {
  if (answer.status == 0) {
    return api::Error::http(
        502, fmt::format("Provider {} is unreachable: {}", model.provider, answer.transport_error));
  }
  if (answer.status == 404) return api::Error::http(400, "Model not supported");
  if (answer.status == 429) {
    return api::Error::http(
        429, fmt::format("Provider {} is rate limiting requests, try again later", model.provider));
  }
  const std::string text = fmt::format("Error code: {} - {}", answer.status, excerpt(answer.body));
  if (answer.status >= 400 && answer.status < 500) return api::Error::http(400, text);
  return api::Error::http(502, fmt::format("Provider {} failed: {}", model.provider, text));
}

}  // namespace nearhub::inference
