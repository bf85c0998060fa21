#include "inference/upstream.h"

#include <memory>

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

namespace {

// One attempt, and the next one (after the policy's delay) when it failed in a retryable way.
void attempt_upstream(util::AsyncHttpClient& client,
                      std::shared_ptr<const util::HttpRequest> request, RetryPolicy retry,
                      int attempt, std::shared_ptr<std::function<void(UpstreamAnswer)>> done,
                      util::AsyncHttpClient::Clock::time_point not_before,
                      std::shared_ptr<util::Cancellation> cancellation) {
  const std::uint64_t step = cancellation ? cancellation->next_step() : 0;
  auto control = client.send(
      *request,
      [&client, request, retry, attempt, done, cancellation](util::HttpOutcome outcome) {
        UpstreamAnswer answer{outcome.status, std::move(outcome.body), std::move(outcome.error),
                              outcome.retry_after};
        const bool cancelled = cancellation && cancellation->cancelled();
        if (answer.ok() || cancelled || !retry.may_retry(attempt, answer.status)) {
          (*done)(std::move(answer));
          return;
        }
        spdlog::warn("inference: {} {} answered {}{}; retry {} of {}", request->method,
                     request->url, answer.status,
                     answer.transport_error.empty() ? "" : " " + answer.transport_error, attempt,
                     retry.retries);
        attempt_upstream(
            client, request, retry, attempt + 1, done,
            util::AsyncHttpClient::Clock::now() + retry.delay(attempt, answer.retry_after),
            cancellation);
      },
      not_before);
  if (cancellation) cancellation->on_cancel(step, [control] { control->cancel(); });
}

}  // namespace

void call_upstream(util::AsyncHttpClient& client, const Provider& provider,
                   const std::string& method, const std::string& path, std::string body,
                   const UpstreamOptions& options, std::function<void(UpstreamAnswer)> done,
                   std::shared_ptr<util::Cancellation> cancellation) {
  attempt_upstream(client,
                   std::make_shared<const util::HttpRequest>(
                       upstream_request(provider, method, path, std::move(body), options)),
                   options.retry, 1,
                   std::make_shared<std::function<void(UpstreamAnswer)>>(std::move(done)), {},
                   std::move(cancellation));
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
