#pragma once
// Suites that run the same tests on SQLite and on PostgreSQL: derive the fixture from
// EngineTest and instantiate it with INSTANTIATE_ENGINE_SUITE. Each test gets a fresh, empty
// database; the PostgreSQL run is skipped unless NEARHUB_TEST_POSTGRES_URL is set.

#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "db/database.h"
#include "support/postgres_test_schema.h"
#include "temp_directory.h"

namespace nearhub::db::testing {

class EngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (engine() == "sqlite") {
      directory_.emplace();
      url_ = directory_->file("hub.db");
      return;
    }
    const std::optional<std::string> base_url = postgres_test_url();
    if (!base_url) GTEST_SKIP() << kPostgresUnavailable;
    schema_ = std::make_unique<PostgresTestSchema>(*base_url);
    url_ = schema_->url();
  }

  const std::string& engine() const { return GetParam(); }
  // Opens the test's database; each call gives another Database on the same data.
  std::unique_ptr<Database> open_database(const DatabaseOptions& options = {}) {
    return open(url_, options);
  }

 private:
  std::optional<TempDirectory> directory_;
  std::unique_ptr<PostgresTestSchema> schema_;
  std::string url_;
};

#define INSTANTIATE_ENGINE_SUITE(suite)                                             \
  INSTANTIATE_TEST_SUITE_P(Engines, suite, ::testing::Values("sqlite", "postgres"), \
                           [](const auto& info) { return info.param; })

}  // namespace nearhub::db::testing
