#pragma once
// GET /v1/models (spec §4.5): every provider's models merged, ids rewritten to "provider::id",
// kept for a TTL. A provider that fails is skipped (and logged).

#include <chrono>
#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

#include "inference/provider_config.h"
#include "inference/upstream.h"

namespace nearhub::inference {

class ModelsCache {
 public:
  // `config` and `client` must outlive the cache.
  ModelsCache(const ProviderConfig& config, util::AsyncHttpClient& client, UpstreamOptions options,
              std::chrono::seconds ttl)
      : config_(config), client_(client), options_(options), ttl_(ttl) {}

  // {"object":"list","data":[...]}. Throws api::Error 503 with no provider configured, 500
  // "No models found" when no provider listed any (not cached).
  nlohmann::ordered_json list();

 private:
  nlohmann::ordered_json collect() const;

  const ProviderConfig& config_;
  util::AsyncHttpClient& client_;
  UpstreamOptions options_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;  // one refresh at a time; readers of a fresh list do not wait long
  std::optional<nlohmann::ordered_json> cached_;
  std::chrono::steady_clock::time_point cached_at_;
};

}  // namespace nearhub::inference
