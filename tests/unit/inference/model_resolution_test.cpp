#include <gtest/gtest.h>

#include "api/error.h"
#include "inference/model_resolution.h"

namespace nearhub::inference {
namespace {

ProviderConfig two_providers(const std::string& default_provider) {
  ProviderConfig config;
  config.providers = {{"local", "http://127.0.0.1:1/v1", "", std::nullopt},
                      {"fireworks", "https://api.fireworks.ai/inference/v1", "", std::nullopt}};
  config.default_provider = default_provider;
  return config;
}

int status_of(const std::function<void()>& f, std::string* detail = nullptr) {
  try {
    f();
  } catch (const api::Error& error) {
    if (detail) *detail = error.message();
    return error.status();
  }
  return 0;
}

TEST(ModelResolution, SplitsProviderAndModel) {
  const ModelRef ref = resolve_model("local::llama-3.1-8b", std::nullopt, two_providers(""));
  EXPECT_EQ(ref.provider, "local");
  EXPECT_EQ(ref.model, "llama-3.1-8b");
  EXPECT_EQ(ref.id(), "local::llama-3.1-8b");
  // Everything after the first "::" is the model, slashes included.
  EXPECT_EQ(resolve_model("fireworks::accounts/f/models/x", std::nullopt, two_providers("")).model,
            "accounts/f/models/x");
}

TEST(ModelResolution, BareModelGoesToProviderFieldThenDefault) {
  EXPECT_EQ(resolve_model("m", std::string("local"), two_providers("fireworks")).id(), "local::m");
  EXPECT_EQ(resolve_model("m", std::nullopt, two_providers("local")).id(), "local::m");
  // The default provider "fireworks" keeps the original's model path rewrite.
  EXPECT_EQ(resolve_model("llama-v3", std::nullopt, two_providers("fireworks")).id(),
            "fireworks::accounts/fireworks/models/llama-v3");
}

TEST(ModelResolution, Errors) {
  std::string detail;
  EXPECT_EQ(
      status_of([] { resolve_model("a::b::c", std::nullopt, two_providers("local")); }, &detail),
      400);
  EXPECT_EQ(detail, "Invalid model or provider");
  EXPECT_EQ(status_of([] { resolve_model("m", std::nullopt, two_providers("")); }, &detail), 400);
  EXPECT_EQ(detail, "Invalid model or provider");
  EXPECT_EQ(status_of([] { resolve_model("local::", std::nullopt, two_providers("")); }), 400);
  EXPECT_EQ(status_of([] { resolve_model("::m", std::nullopt, two_providers("")); }), 400);
  EXPECT_EQ(
      status_of([] { resolve_model("hyperbolic::m", std::nullopt, two_providers("")); }, &detail),
      400);
  EXPECT_EQ(detail, "Provider not supported");
}

TEST(ModelResolution, NoProviderConfiguredNamesWhatToConfigure) {
  std::string detail;
  EXPECT_EQ(status_of([] { resolve_model("local::m", std::nullopt, ProviderConfig{}); }, &detail),
            503);
  EXPECT_NE(detail.find("[providers.<name>]"), std::string::npos);
  EXPECT_NE(detail.find("docs/inference.md"), std::string::npos);
}

}  // namespace
}  // namespace nearhub::inference
