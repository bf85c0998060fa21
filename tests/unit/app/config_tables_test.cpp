// Config::table: the TOML tables whose keys the operator chooses ([providers.<name>],
// [inference.fallbacks]), read whole next to the fixed keys of settings().

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "app/config.h"

namespace nearhub::app {
namespace {

Config load_text(const std::string& text) {
  std::random_device random;
  const auto path = std::filesystem::temp_directory_path() /
                    ("nearhub-config-tables-" + std::to_string(random()) + ".toml");
  std::ofstream(path) << text;
  Config config = Config::load({}, path.string(),
                               [](const std::string&) { return std::optional<std::string>(); });
  std::filesystem::remove(path);
  return config;
}

TEST(ConfigTables, ProvidersAndFallbacksSitNextToFixedKeys) {
  const Config config = load_text(
      "[inference]\n"
      "default_provider = \"local\"\n"
      "retries = 5\n"
      "[inference.fallbacks]\n"
      "\"local::a\" = [\"other::b\"]\n"
      "[providers.local]\n"
      "base_url = \"http://127.0.0.1:8000/v1\"\n"
      "models = [\"a\", \"b\"]\n"
      "[providers.other]\n"
      "base_url = \"http://127.0.0.1:9000/v1\"\n"
      "api_key_env = \"OTHER_KEY\"\n");
  EXPECT_EQ(config.text("inference.default_provider"), "local");
  EXPECT_EQ(config.integer("inference.retries"), 5);
  const nlohmann::json& providers = config.table("providers");
  EXPECT_EQ(providers["local"]["base_url"], "http://127.0.0.1:8000/v1");
  EXPECT_EQ(providers["local"]["models"], nlohmann::json({"a", "b"}));
  EXPECT_EQ(providers["other"]["api_key_env"], "OTHER_KEY");
  EXPECT_EQ(config.table("inference.fallbacks")["local::a"], nlohmann::json({"other::b"}));
}

TEST(ConfigTables, AbsentTablesAreEmptyAndUnknownNamesAreAProgrammingError) {
  const Config config = load_text("[server]\nport = 9000\n");
  EXPECT_EQ(config.table("providers"), nlohmann::json::object());
  EXPECT_THROW(config.table("nonsense"), std::logic_error);
}

TEST(ConfigTables, AProviderTableMustBeATable) {
  EXPECT_THROW(load_text("providers = 3\n"), std::runtime_error);
  EXPECT_THROW(load_text("[inference]\nfallbacks = 3\n"), std::runtime_error);
}

}  // namespace
}  // namespace nearhub::app
