#include "app/inference_wiring.h"

#include <spdlog/spdlog.h>

#include "inference/agent_key_routes.h"
#include "inference/completion_signer.h"
#include "inference/gateway.h"
#include "inference/inference_routes.h"
#include "inference/rate_limiter.h"
#include "inference/run_delta_sink.h"
#include "inference/usage_writer.h"

namespace nearhub::app {

namespace {

std::chrono::milliseconds ms(const Config& config, const std::string& key) {
  return std::chrono::milliseconds(config.integer(key));
}

// The key itself lives in the environment variable the setting names, never in a config file.
// Unset or empty: a signer that refuses to sign (spec §3.1 [REC]); malformed: start-up fails.
std::unique_ptr<inference::CompletionSigner> make_signer(const Config& config) {
  const std::string& variable = config.text("inference.hub_private_key_env");
  std::string key;
  if (!variable.empty()) key = Config::process_environment()(variable).value_or("");
  try {
    auto signer = std::make_unique<inference::CompletionSigner>(key);
    if (!signer->configured()) {
      spdlog::info("inference: no hub signing key in ${}: completions are not signed", variable);
    }
    return signer;
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error("inference.hub_private_key_env: $" + variable + ": " + error.what());
  }
}

std::vector<std::string> trusted_runner_api_keys(const Config& config) {
  return config.list("auth.trusted_runner_api_keys");
}

}  // namespace

InferenceArea::InferenceArea(const Config& config, db::Database& database,
                             inference::RunDeltaSink& deltas) {
  inference::ProviderConfig providers = inference::parse_provider_config(
      config.table("providers"), config.table("inference.fallbacks"),
      config.text("inference.default_provider"), Config::process_environment());
  if (providers.providers.empty()) {
    spdlog::warn(
        "inference: no provider configured; the inference endpoints answer 503 "
        "(see docs/inference.md)");
  }
  for (const inference::Provider& p : providers.providers) {
    spdlog::info("inference: provider {} at {}", p.name, p.base_url);
  }

  inference::RateLimits limits;
  limits.requests_per_minute = config.integer("inference.rate_limit_requests_per_minute");
  limits.tokens_per_minute = config.integer("inference.rate_limit_tokens_per_minute");
  limiter_ = std::make_unique<inference::RateLimiter>(database, limits);

  inference::UsageWriter::Options usage;
  usage.batch_size = static_cast<std::size_t>(config.integer("inference.usage_batch_size"));
  usage.flush_interval = ms(config, "inference.usage_flush_interval_ms");
  usage_ = std::make_unique<inference::UsageWriter>(database, usage, limiter_.get());

  inference::GatewayOptions options;
  options.upstream.connect_timeout = ms(config, "inference.connect_timeout_ms");
  options.upstream.read_timeout = ms(config, "inference.read_timeout_ms");
  options.upstream.retry.retries = static_cast<int>(config.integer("inference.retries"));
  options.upstream.retry.backoff = ms(config, "inference.retry_backoff_ms");
  options.models_cache_ttl = std::chrono::seconds(config.integer("inference.models_cache_ttl_s"));
  options.default_model = config.text("inference.default_model");
  options.default_embedding_model = config.text("inference.default_embedding_model");
  options.default_image_model = config.text("inference.default_image_model");
  // Hub signatures (spec §3): the key and the trusted runners are the signing settings.
  signer_ = make_signer(config);
  options.trusted_runner_api_keys = trusted_runner_api_keys(config);
  gateway_ = std::make_unique<inference::Gateway>(std::move(providers), std::move(options),
                                                  *limiter_, *usage_, deltas, signer_.get());
}

InferenceArea::~InferenceArea() {
  gateway_.reset();  // streams end and queue their last usage rows
  usage_.reset();    // every queued row is written
}

void InferenceArea::add_routes(api::RouteTable& table) {
  inference::add_inference_routes(table, *gateway_);
  inference::add_agent_key_routes(table, *signer_);
}

}  // namespace nearhub::app
