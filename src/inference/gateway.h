#pragma once
// The inference gateway (spec §4.2–§4.7): resolves models to configured providers, forwards
// OpenAI-compatible requests (with retries, fallbacks and per-account rate limits), relays
// streams, records usage and signs trusted runners' chat completions. HTTP binding:
// inference_routes.h; configuration: docs/inference.md.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/route.h"
#include "inference/fallback_calls.h"
#include "inference/models_cache.h"
#include "inference/provider_config.h"
#include "inference/rate_limiter.h"
#include "inference/request_normalization.h"
#include "inference/run_delta_sink.h"
#include "inference/stream_relay.h"
#include "inference/upstream.h"
#include "inference/usage_writer.h"

namespace nearhub::inference {

class CompletionSigner;

struct GatewayOptions {
  UpstreamOptions upstream;
  std::chrono::seconds models_cache_ttl{300};
  std::string default_model = "fireworks::accounts/fireworks/models/mixtral-8x22b-instruct";
  std::string default_embedding_model = "fireworks::nomic-ai/nomic-embed-text-v1.5";
  std::string default_image_model =
      "fireworks::accounts/fireworks/models/playground-v2-1024px-aesthetic";
  std::vector<std::string> trusted_runner_api_keys;  // runners whose chat completions are signed
};

class Gateway {
 public:
  // Every reference must outlive the Gateway. `signer` may be null (nothing is signed).
  Gateway(ProviderConfig providers, GatewayOptions options, RateLimiter& limiter,
          UsageWriter& usage, RunDeltaSink& deltas, const CompletionSigner* signer);
  // Ends the upstream calls still running: a waiting client gets a 502, a stream ends without
  // [DONE] (if the client is still there).
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  http::Response models();
  http::Response chat_completions(api::Call& call);
  http::Response completions(api::Call& call);
  http::Response embeddings(api::Call& call);
  http::Response image_generations(api::Call& call);

  // The hub's own chat call (thread topics): the text of choices[0].message.content for
  // `messages`, with the model's fallbacks, but no caller, rate limit or usage row. Throws
  // api::Error when the model has no provider or every upstream fails.
  std::string chat_text(const std::string& model, const nlohmann::json& messages);

  const ProviderConfig& providers() const { return providers_; }

 private:
  // The requested model then its configured fallbacks.
  std::vector<Target> targets(const ModelRef& model) const;
  // A 429 response when the caller is over a rate limit.
  std::optional<http::Response> check_rate_limit(const api::Identity& caller);
  void record(const api::Identity& caller, const ModelRef& model, const std::string& endpoint,
              const std::string& query_text, const std::string& response_text,
              const nlohmann::json& usage);
  // Hub signature of a trusted runner's chat completion (spec §3.3); no-op without a signer.
  void sign_response(const api::Identity& caller, const ModelRef& model,
                     const nlohmann::json& request, nlohmann::json& response) const;
  // A stream's usage row: written when it ends (on_finish), or estimated when its client
  // leaves first (on_abandoned).
  void record_stream_usage(StreamRelay::Callbacks& callbacks, const api::Identity& caller,
                           const ModelRef& model, std::string endpoint, std::string query_text);
  std::string requested_model(const nlohmann::json& body, const std::string& fallback) const;
  // The request's model (or `default_model`) and its `provider` field, resolved (400s as
  // resolve_model throws them).
  ModelRef model_of(const nlohmann::json& request, const std::string& default_model) const;

  ProviderConfig providers_;
  GatewayOptions options_;
  RateLimiter& limiter_;
  UsageWriter& usage_;
  RunDeltaSink& deltas_;
  const CompletionSigner* signer_;
  FallbackCalls calls_;  // every upstream call; stopped first on destruction
  ModelsCache models_;
};

}  // namespace nearhub::inference
