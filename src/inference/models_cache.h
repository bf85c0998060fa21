#pragma once
// GET /v1/models (spec §4.5): every provider's models merged, ids rewritten to "provider::id",
// kept for a TTL. A provider that fails is skipped (and logged). A refresh asks every provider
// at once on the gateway's AsyncHttpClient; requests wait for it without a thread, and the
// requests that arrive during a refresh share it.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/response.h"
#include "inference/provider_config.h"
#include "inference/upstream.h"
#include "util/http_async.h"

namespace nearhub::inference {

class ModelsCache {
 public:
  // `config` and `client` must outlive the cache, and the client must be stopped before the
  // cache goes (a refresh's answers come back on its thread).
  ModelsCache(const ProviderConfig& config, util::AsyncHttpClient& client, UpstreamOptions options,
              std::chrono::seconds ttl)
      : config_(config), client_(client), options_(options), ttl_(ttl) {}

  // {"object":"list","data":[...]}, at once when cached, else a Response::later. Throws
  // api::Error 503 with no provider configured; answers 500 "No models found" when no provider
  // listed any (not cached).
  http::Response list();

 private:
  struct Refresh;
  void start_refresh();
  // Merges the providers' lists in configuration order, caches them and answers every waiting
  // request.
  void finish(Refresh& refresh);

  const ProviderConfig& config_;
  util::AsyncHttpClient& client_;
  UpstreamOptions options_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;                    // guards the cache and waiting_
  std::optional<std::string> cached_;   // the listing's JSON text
  std::vector<http::Respond> waiting_;  // the requests the running refresh will answer
  std::chrono::steady_clock::time_point cached_at_;
};

}  // namespace nearhub::inference
