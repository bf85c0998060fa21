#include "inference/provider_config.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

namespace nearhub::inference {

namespace {

// The original hub's built-in providers (spec §4.2.2): a configured key variable enables them.
struct KnownProvider {
  const char* name;
  const char* base_url;  // empty: comes from a variable
  const char* api_key_env;
};
constexpr KnownProvider kKnownProviders[] = {
    {"hyperbolic", "https://api.hyperbolic.xyz/v1", "HYPERBOLIC_API_KEY"},
    {"fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY"},
    {"crynux", "https://bridge.crynux.ai/v1/llm", "CRYNUX_API_KEY"},
    {"local", "", "PROVIDER_LOCAL_API_KEY"},
};

const KnownProvider* known(std::string_view name) {
  for (const KnownProvider& k : kKnownProviders) {
    if (name == k.name) return &k;
  }
  return nullptr;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string checked_base_url(std::string url, const std::string& where) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    throw std::runtime_error(
        fmt::format("{}: base_url must start with http:// or https://, got '{}'", where, url));
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.find("::") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

Provider from_table(const std::string& name, const nlohmann::json& table,
                    const Environment& environment) {
  const std::string where = "[providers." + name + "]";
  if (!valid_name(name)) {
    throw std::runtime_error(where + ": a provider name uses letters, digits, '-', '_' and '.'");
  }
  if (!table.is_object()) throw std::runtime_error(where + ": must be a table");
  for (const auto& [key, value] : table.items()) {
    if (key != "base_url" && key != "api_key_env" && key != "models") {
      throw std::runtime_error(fmt::format("{}: unknown key '{}'", where, key));
    }
    if (key != "models" && !value.is_string()) {
      throw std::runtime_error(fmt::format("{}: '{}' must be a string", where, key));
    }
  }
  Provider provider;
  provider.name = name;
  const KnownProvider* k = known(name);
  std::string base_url = table.value("base_url", std::string());
  if (base_url.empty() && k && *k->base_url) base_url = k->base_url;
  if (base_url.empty() && name == "local") {
    base_url = environment("PROVIDER_LOCAL_BASE_URL").value_or("");
  }
  if (base_url.empty()) throw std::runtime_error(where + ": base_url is required");
  provider.base_url = checked_base_url(base_url, where);

  std::string key_env = table.value("api_key_env", std::string());
  if (key_env.empty()) key_env = k ? k->api_key_env : "PROVIDER_" + upper(name) + "_API_KEY";
  provider.api_key = environment(key_env).value_or("");

  if (table.contains("models")) {
    const nlohmann::json& models = table["models"];
    if (!models.is_array() || !std::all_of(models.begin(), models.end(),
                                           [](const nlohmann::json& m) { return m.is_string(); })) {
      throw std::runtime_error(where + ": models must be an array of strings");
    }
    provider.models = models.get<std::vector<std::string>>();
  }
  return provider;
}

void check_model_id(const ProviderConfig& config, const std::string& id, const std::string& where) {
  const auto split = id.find("::");
  if (split == std::string::npos || id.find("::", split + 2) != std::string::npos) {
    throw std::runtime_error(fmt::format("{}: '{}' is not a provider::model id", where, id));
  }
  if (!config.find(id.substr(0, split))) {
    throw std::runtime_error(
        fmt::format("{}: '{}' names a provider that is not configured", where, id));
  }
}

}  // namespace

const Provider* ProviderConfig::find(std::string_view name) const {
  for (const Provider& p : providers) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

ProviderConfig parse_provider_config(const nlohmann::json& providers_table,
                                     const nlohmann::json& fallbacks_table,
                                     const std::string& default_provider,
                                     const Environment& environment) {
  ProviderConfig config;
  if (!providers_table.is_null() && !providers_table.is_object()) {
    throw std::runtime_error("[providers]: expected [providers.<name>] tables");
  }
  // The file first (its tables in name order), then the original's variables for any
  // built-in provider the file does not mention.
  if (providers_table.is_object()) {
    for (const auto& [name, table] : providers_table.items()) {
      config.providers.push_back(from_table(name, table, environment));
    }
  }
  for (const KnownProvider& k : kKnownProviders) {
    if (config.find(k.name)) continue;
    if (std::string_view(k.name) == "local") {
      auto url = environment("PROVIDER_LOCAL_BASE_URL");
      if (!url || url->empty()) continue;
      config.providers.push_back({"local", checked_base_url(*url, "PROVIDER_LOCAL_BASE_URL"),
                                  environment(k.api_key_env).value_or(""), std::nullopt});
      continue;
    }
    auto key = environment(k.api_key_env);
    if (!key || key->empty()) continue;
    config.providers.push_back({k.name, k.base_url, *key, std::nullopt});
  }

  config.default_provider = default_provider;
  if (!default_provider.empty() && !config.find(default_provider)) {
    throw std::runtime_error("inference.default_provider: '" + default_provider +
                             "' is not a configured provider");
  }
  if (default_provider.empty() && config.providers.size() == 1) {
    config.default_provider = config.providers.front().name;
  }

  if (!fallbacks_table.is_null() && !fallbacks_table.is_object()) {
    throw std::runtime_error("[inference.fallbacks]: must be a table");
  }
  if (fallbacks_table.is_object()) {
    for (const auto& [model, list] : fallbacks_table.items()) {
      const std::string where = "[inference.fallbacks] \"" + model + "\"";
      check_model_id(config, model, where);
      if (!list.is_array()) throw std::runtime_error(where + ": expected an array of model ids");
      std::vector<std::string> targets;
      for (const nlohmann::json& item : list) {
        if (!item.is_string()) throw std::runtime_error(where + ": expected an array of model ids");
        check_model_id(config, item.get<std::string>(), where);
        targets.push_back(item.get<std::string>());
      }
      config.fallbacks[model] = std::move(targets);
    }
  }
  return config;
}

}  // namespace nearhub::inference
