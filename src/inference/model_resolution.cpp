#include "inference/model_resolution.h"

#include "api/error.h"

namespace nearhub::inference {

ModelRef resolve_model(const std::string& model, const std::optional<std::string>& provider_field,
                       const ProviderConfig& config) {
  if (config.providers.empty()) throw_no_provider_configured();
  ModelRef ref;
  const auto split = model.find("::");
  if (split != std::string::npos) {
    if (model.find("::", split + 2) != std::string::npos) {
      throw api::Error::http(400, "Invalid model or provider");
    }
    ref.provider = model.substr(0, split);
    ref.model = model.substr(split + 2);
  } else if (provider_field && !provider_field->empty()) {
    ref.provider = *provider_field;
    ref.model = model;
  } else {
    ref.provider = config.default_provider;
    ref.model = model;
    // The original rewrote a bare model to a Fireworks model path (spec §4.2.1).
    if (ref.provider == "fireworks" && !ref.model.empty() && ref.model.rfind("accounts/", 0) != 0) {
      ref.model = "accounts/fireworks/models/" + ref.model;
    }
  }
  if (ref.provider.empty() || ref.model.empty()) {
    throw api::Error::http(400, "Invalid model or provider");
  }
  if (!config.find(ref.provider)) throw api::Error::http(400, "Provider not supported");
  return ref;
}

void throw_no_provider_configured() {
  throw api::Error::http(
      503,
      "No inference provider is configured: add a [providers.<name>] table with a base_url to "
      "the config file (nearhub serve --config FILE), or set PROVIDER_LOCAL_BASE_URL or "
      "FIREWORKS_API_KEY; see docs/inference.md");
}

}  // namespace nearhub::inference
