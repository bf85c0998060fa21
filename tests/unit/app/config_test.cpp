#include "app/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "app/settings.h"

namespace nearhub::app {
namespace {

Config::Environment environment(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

// A file name no other test process picks: std::rand() starts from the same seed in every
// process, so tests run in parallel by ctest once removed each other's files.
std::string write_toml(const std::string& text) {
  std::random_device random;
  const auto path =
      std::filesystem::temp_directory_path() /
      ("nearhub-config-" + std::to_string(random()) + std::to_string(random()) + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

TEST(Config, DefaultsServeOneUserOnOneMachine) {
  const Config config = Config::load({}, "", environment({}));
  EXPECT_EQ(config.integer("server.port"), 8081);
  EXPECT_EQ(config.text("storage.data_dir"), "./data");
  EXPECT_EQ(config.text("storage.database"), "");
  EXPECT_EQ(config.list("auth.recipients"), std::vector<std::string>{"ai.near"});
  EXPECT_EQ(config.list("auth.key_ownership"), std::vector<std::string>{"implicit"});
  EXPECT_TRUE(config.boolean("server.access_log"));
}

TEST(Config, FlagsBeatEnvironmentBeatFileBeatDefaults) {
  const std::string file =
      write_toml("[server]\nport = 9000\nio_threads = 3\nworker_threads = 5\n");
  const Config config =
      Config::load({{"--port", "9002"}}, file,
                   environment({{"NEARHUB_PORT", "9001"}, {"NEARHUB_IO_THREADS", "2"}}));
  EXPECT_EQ(config.integer("server.port"), 9002);
  EXPECT_EQ(config.integer("server.io_threads"), 2);
  EXPECT_EQ(config.integer("server.worker_threads"), 5);
  EXPECT_EQ(config.integer("server.max_body_bytes"), 1048576);
  std::filesystem::remove(file);
}

TEST(Config, ListsFromFileAndEnvironment) {
  const std::string file = write_toml("[auth]\nkey_ownership = [\"implicit\", \"rpc\"]\n");
  EXPECT_EQ(Config::load({}, file, environment({})).list("auth.key_ownership"),
            (std::vector<std::string>{"implicit", "rpc"}));
  EXPECT_EQ(Config::load({}, file, environment({{"NEARHUB_AUTH_KEY_OWNERSHIP", "static, rpc"}}))
                .list("auth.key_ownership"),
            (std::vector<std::string>{"static", "rpc"}));
  // An empty list is a value, not "unset".
  EXPECT_TRUE(Config::load({}, "", environment({{"NEARHUB_AUTH_RECIPIENTS", ""}}))
                  .list("auth.recipients")
                  .empty());
  std::filesystem::remove(file);
}

TEST(Config, ErrorsNameTheKeyAndSource) {
  auto message = [](auto&& load) {
    try {
      load();
    } catch (const std::runtime_error& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([] {
              Config::load({}, "", environment({{"NEARHUB_PORT", "x"}}));
            }),
            "NEARHUB_PORT: expected an integer, got 'x'");
  EXPECT_EQ(message([] {
              Config::load({{"--port", "1.5"}}, "", environment({}));
            }),
            "--port: expected an integer, got '1.5'");
  // A negative count would become an enormous one; a zero where work must happen, a hang.
  EXPECT_EQ(message([] {
              Config::load({}, "", environment({{"NEARHUB_RUNS_WORKERS", "-1"}}));
            }),
            "NEARHUB_RUNS_WORKERS: expected at least 0, got -1");
  EXPECT_EQ(message([] {
              Config::load({{"--worker-threads", "0"}}, "", environment({}));
            }),
            "--worker-threads: expected at least 1, got 0");
  const std::string typo = write_toml("[server]\nprot = 1\n");
  EXPECT_NE(
      message([&] { Config::load({}, typo, environment({})); }).find("unknown key 'server.prot'"),
      std::string::npos);
  const std::string wrong_type = write_toml("[server]\nport = \"80\"\n");
  EXPECT_NE(message([&] { Config::load({}, wrong_type, environment({})); }).find("server.port"),
            std::string::npos);
  EXPECT_NE(message([] {
              Config::load({}, "/nonexistent/nearhub.toml", environment({}));
            }).find("/nonexistent/nearhub.toml"),
            std::string::npos);
  std::filesystem::remove(typo);
  std::filesystem::remove(wrong_type);
}

TEST(Config, EveryKeyIsDocumented) {
  std::ifstream file(std::string(NEARHUB_SOURCE_DIR) + "/docs/configuration.md");
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_NE(text.str().find(settings_markdown()), std::string::npos)
      << "docs/configuration.md is out of date: paste `nearhub config-reference` into it";
}

}  // namespace
}  // namespace nearhub::app
