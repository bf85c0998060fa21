#pragma once
// "provider::model" ids (spec §4.2.2) and the error bodies of a model that cannot be served.

#include <optional>
#include <string>

#include "inference/provider_config.h"

namespace nearhub::inference {

struct ModelRef {
  std::string provider;
  std::string model;  // as the provider names it
  std::string id() const { return provider + "::" + model; }
};

// Resolves a request's model: "p::m" splits; otherwise the request's `provider` field when given,
// else the configured default provider. A default provider named "fireworks" gets the original's
// "accounts/fireworks/models/" prefix. Throws api::Error:
//   400 "Invalid model or provider": empty parts, or more than one "::" ([REC] of §4.2.2;
//       the original answered 500), or no provider to use;
//   400 "Provider not supported": a provider that is not configured.
ModelRef resolve_model(const std::string& model, const std::optional<std::string>& provider_field,
                       const ProviderConfig& config);

// The 503 answered by every inference endpoint while no provider is configured: it names what to
// configure.
[[noreturn]] void throw_no_provider_configured();

}  // namespace nearhub::inference
