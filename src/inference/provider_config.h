#pragma once
// Which inference providers exist and how to reach them (docs/inference.md). They come from the
// [providers.<name>] tables of the config file and, as shorthands kept from the original hub,
// from its environment variables (FIREWORKS_API_KEY, HYPERBOLIC_API_KEY, CRYNUX_API_KEY,
// PROVIDER_LOCAL_BASE_URL, PROVIDER_LOCAL_API_KEY). Outbound calls only ever go to these base URLs.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nearhub::inference {

struct Provider {
  std::string name;
  std::string base_url;  // OpenAI-compatible API root, without a trailing slash
  std::string api_key;   // sent as "Authorization: Bearer <key>" when not empty
  // Models listed in the config; when absent they are discovered from GET {base_url}/models.
  std::optional<std::vector<std::string>> models;
};

struct ProviderConfig {
  std::vector<Provider> providers;  // in the order GET /v1/models lists them
  std::string default_provider;     // for a model id without "provider::"; may be empty
  // "provider::model" → models tried in order when it fails.
  std::map<std::string, std::vector<std::string>> fallbacks;

  const Provider* find(std::string_view name) const;
};

using Environment = std::function<std::optional<std::string>(const std::string&)>;

// Builds the provider set. `providers_table` is Config::table("providers"), `fallbacks_table`
// Config::table("inference.fallbacks"). Throws std::runtime_error naming the faulty entry
// (missing or non-http base_url, unknown key, fallback to an unknown provider...).
ProviderConfig parse_provider_config(const nlohmann::json& providers_table,
                                     const nlohmann::json& fallbacks_table,
                                     const std::string& default_provider,
                                     const Environment& environment);

}  // namespace nearhub::inference
