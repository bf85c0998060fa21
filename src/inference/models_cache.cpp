#include "inference/models_cache.h"

#include <spdlog/spdlog.h>

#include "api/error.h"
#include "inference/model_resolution.h"

namespace nearhub::inference {

nlohmann::ordered_json ModelsCache::list() {
  if (config_.providers.empty()) throw_no_provider_configured();
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (cached_ && now - cached_at_ < ttl_) return *cached_;
  nlohmann::ordered_json models = collect();
  if (models.empty()) throw api::Error::http(500, "No models found");
  cached_ = nlohmann::ordered_json{{"object", "list"}, {"data", std::move(models)}};
  cached_at_ = now;
  return *cached_;
}

nlohmann::ordered_json ModelsCache::collect() const {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  // A listing is small: do not let a slow provider hold the endpoint for the completion timeout.
  UpstreamOptions options = options_;
  options.read_timeout = std::min(options.read_timeout, std::chrono::milliseconds(30'000));
  options.retry.retries = 0;
  for (const Provider& provider : config_.providers) {
    if (provider.models) {
      for (const std::string& id : *provider.models) {
        all.push_back({{"id", provider.name + "::" + id},
                       {"object", "model"},
                       {"created", 0},
                       {"owned_by", provider.name}});
      }
      continue;
    }
    const UpstreamAnswer answer =
        call_upstream_and_wait(client_, provider, "GET", "/models", "", options);
    if (!answer.ok()) {
      spdlog::warn("inference: provider {} skipped in /v1/models: {} {}", provider.name,
                   answer.status, answer.status == 0 ? answer.transport_error : answer.body);
      continue;
    }
    const auto body = nlohmann::ordered_json::parse(answer.body, nullptr, false);
    if (!body.is_object() || !body.contains("data") || !body["data"].is_array()) {
      spdlog::warn("inference: provider {} skipped in /v1/models: not a model list", provider.name);
      continue;
    }
    for (nlohmann::ordered_json model : body["data"]) {
      if (!model.is_object() || !model.contains("id") || !model["id"].is_string()) continue;
      model["id"] = provider.name + "::" + model["id"].get<std::string>();
      all.push_back(std::move(model));
    }
  }
  return all;
}

}  // namespace nearhub::inference
