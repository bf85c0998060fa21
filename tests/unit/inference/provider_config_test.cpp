#include <gtest/gtest.h>

#include <map>

#include "inference/provider_config.h"

namespace nearhub::inference {
namespace {

using Json = nlohmann::json;

Environment env(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ProviderConfig, ReadsProviderTablesWithKeyFromNamedVariable) {
  const Json providers = {
      {"local", {{"base_url", "http://127.0.0.1:8000/v1/"}, {"api_key_env", "LOCAL_API_KEY"}}},
      {"ollama", {{"base_url", "http://localhost:11434/v1"}, {"models", {"llama3", "qwen"}}}}};
  const ProviderConfig config =
      parse_provider_config(providers, Json::object(), "local", env({{"LOCAL_API_KEY", "k1"}}));
  ASSERT_EQ(config.providers.size(), 2u);
  const Provider* local = config.find("local");
  ASSERT_NE(local, nullptr);
  EXPECT_EQ(local->base_url, "http://127.0.0.1:8000/v1");  // trailing slash dropped
  EXPECT_EQ(local->api_key, "k1");
  EXPECT_FALSE(local->models.has_value());
  const Provider* ollama = config.find("ollama");
  ASSERT_NE(ollama, nullptr);
  EXPECT_EQ(ollama->api_key, "");
  EXPECT_EQ(*ollama->models, (std::vector<std::string>{"llama3", "qwen"}));
  EXPECT_EQ(config.default_provider, "local");
}

TEST(ProviderConfig, OriginalEnvironmentVariablesAreShorthands) {
  const ProviderConfig config =
      parse_provider_config(Json::object(), Json::object(), "",
                            env({{"FIREWORKS_API_KEY", "fw"},
                                 {"PROVIDER_LOCAL_BASE_URL", "http://localhost:8080/v1"},
                                 {"PROVIDER_LOCAL_API_KEY", "lk"}}));
  ASSERT_EQ(config.providers.size(), 2u);
  EXPECT_EQ(config.providers[0].name, "fireworks");
  EXPECT_EQ(config.providers[0].base_url, "https://api.fireworks.ai/inference/v1");
  EXPECT_EQ(config.providers[0].api_key, "fw");
  EXPECT_EQ(config.providers[1].name, "local");
  EXPECT_EQ(config.providers[1].api_key, "lk");
  // Two providers and no default: a bare model id has no provider.
  EXPECT_EQ(config.default_provider, "");
}

TEST(ProviderConfig, FileTableWinsOverShorthandAndKnownProviderKeepsItsUrl) {
  const Json providers = {{"fireworks", Json::object()}};
  const ProviderConfig config =
      parse_provider_config(providers, Json::object(), "", env({{"FIREWORKS_API_KEY", "fw"}}));
  ASSERT_EQ(config.providers.size(), 1u);
  EXPECT_EQ(config.providers[0].base_url, "https://api.fireworks.ai/inference/v1");
  EXPECT_EQ(config.providers[0].api_key, "fw");
  EXPECT_EQ(config.default_provider, "fireworks");  // the only one
}

TEST(ProviderConfig, NoProviderAtAll) {
  const ProviderConfig config = parse_provider_config(Json(), Json(), "", env({}));
  EXPECT_TRUE(config.providers.empty());
  EXPECT_EQ(config.find("local"), nullptr);
}

TEST(ProviderConfig, RejectsMistakesWithTheirName) {
  auto fails_with = [](const Json& providers, const Json& fallbacks, const std::string& def,
                       const std::string& text) {
    try {
      parse_provider_config(providers, fallbacks, def, env({}));
      ADD_FAILURE() << "accepted; expected: " << text;
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find(text), std::string::npos) << error.what();
    }
  };
  fails_with({{"x", Json::object()}}, Json(), "", "[providers.x]: base_url is required");
  fails_with({{"x", {{"base_url", "ftp://a"}}}}, Json(), "", "must start with http");
  fails_with({{"x", {{"base_url", "http://a"}, {"baseurl", "http://a"}}}}, Json(), "",
             "unknown key 'baseurl'");
  fails_with({{"x", {{"base_url", "http://a"}, {"models", "m"}}}}, Json(), "",
             "models must be an array of strings");
  fails_with({{"a::b", {{"base_url", "http://a"}}}}, Json(), "", "provider name");
  fails_with({{"x", {{"base_url", "http://a"}}}}, Json(), "y", "inference.default_provider");
  fails_with({{"x", {{"base_url", "http://a"}}}}, {{"x::m", {"z::m"}}}, "",
             "names a provider that is not configured");
  fails_with({{"x", {{"base_url", "http://a"}}}}, {{"m", {"x::m"}}}, "", "not a provider::model");
}

TEST(ProviderConfig, FallbacksInOrder) {
  const Json providers = {{"a", {{"base_url", "http://a"}}}, {"b", {{"base_url", "http://b"}}}};
  const ProviderConfig config =
      parse_provider_config(providers, {{"a::m", {"b::m", "a::n"}}}, "a", env({}));
  EXPECT_EQ(config.fallbacks.at("a::m"), (std::vector<std::string>{"b::m", "a::n"}));
}

}  // namespace
}  // namespace nearhub::inference
