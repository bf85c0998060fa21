#include "inference/models_cache.h"

#include <memory>
#include <vector>

#include <spdlog/spdlog.h>

#include "api/error.h"
#include "inference/model_resolution.h"
#include "util/json.h"

namespace nearhub::inference {

namespace {

using ojson = nlohmann::ordered_json;

// A configured list (`models = [...]`) as the provider would have answered it.
ojson configured_models(const Provider& provider) {
  ojson models = ojson::array();
  for (const std::string& id : *provider.models) {
    models.push_back(
        {{"id", id}, {"object", "model"}, {"created", 0}, {"owned_by", provider.name}});
  }
  return models;
}

// The models of a provider's GET /models answer, or nullopt (logged) when it is not a list.
std::optional<ojson> listed_models(const Provider& provider, const UpstreamAnswer& answer) {
  if (!answer.ok()) {
    spdlog::warn("inference: provider {} skipped in /v1/models: {} {}", provider.name,
                 answer.status, answer.status == 0 ? answer.transport_error : answer.body);
    return std::nullopt;
  }
  ojson body = ojson::parse(answer.body, nullptr, false);
  if (!body.is_object() || !body.contains("data") || !body["data"].is_array()) {
    spdlog::warn("inference: provider {} skipped in /v1/models: not a model list", provider.name);
    return std::nullopt;
  }
  return std::move(body["data"]);
}

}  // namespace

struct ModelsCache::Refresh {
  std::mutex mutex;
  std::vector<std::optional<ojson>> lists;  // per provider, in configuration order
  std::size_t remaining = 0;
};

http::Response ModelsCache::list() {
  if (config_.providers.empty()) throw_no_provider_configured();
  {
    std::lock_guard lock(mutex_);
    if (cached_ && std::chrono::steady_clock::now() - cached_at_ < ttl_) {
      return http::Response::json_text(200, *cached_);
    }
  }
  return http::Response::later([this](http::Respond respond) {
    {
      // One refresh at a time: a request that finds one running waits for its answer instead
      // of asking every provider again.
      std::lock_guard lock(mutex_);
      waiting_.push_back(std::move(respond));
      if (waiting_.size() > 1) return;
    }
    start_refresh();
  });
}

void ModelsCache::start_refresh() {
  auto refresh = std::make_shared<Refresh>();
  refresh->lists.resize(config_.providers.size());
  refresh->remaining = config_.providers.size();
  // A listing is small: do not let a slow provider hold the endpoint for the completion timeout.
  UpstreamOptions options = options_;
  options.read_timeout = std::min(options.read_timeout, std::chrono::milliseconds(30'000));
  options.retry.retries = 0;
  for (std::size_t i = 0; i < config_.providers.size(); ++i) {
    const Provider& provider = config_.providers[i];
    const auto settle = [this, refresh, i](std::optional<ojson> models) {
      bool last = false;
      {
        std::lock_guard lock(refresh->mutex);
        refresh->lists[i] = std::move(models);
        last = --refresh->remaining == 0;
      }
      if (last) finish(*refresh);
    };
    if (provider.models) {
      settle(configured_models(provider));
      continue;
    }
    call_upstream(
        client_, provider, "GET", "/models", "", options,
        [settle, &provider](UpstreamAnswer answer) { settle(listed_models(provider, answer)); });
  }
}

void ModelsCache::finish(Refresh& refresh) {
  ojson all = ojson::array();
  for (std::size_t i = 0; i < refresh.lists.size(); ++i) {
    if (!refresh.lists[i]) continue;
    const std::string& name = config_.providers[i].name;
    for (ojson& model : *refresh.lists[i]) {
      if (!model.is_object() || !model.contains("id") || !model["id"].is_string()) continue;
      model["id"] = name + "::" + model["id"].get<std::string>();
      all.push_back(std::move(model));
    }
  }
  std::optional<std::string> text;
  if (!all.empty()) text = util::dump_json(ojson{{"object", "list"}, {"data", std::move(all)}});
  std::vector<http::Respond> waiting;
  {
    std::lock_guard lock(mutex_);
    if (text) {
      cached_ = *text;
      cached_at_ = std::chrono::steady_clock::now();
    }
    waiting.swap(waiting_);
  }
  for (http::Respond& respond : waiting) {
    respond(text ? http::Response::json_text(200, *text)
                 : api::error_response(api::Error::http(500, "No models found")));
  }
}

}  // namespace nearhub::inference
