#pragma once
// PostgreSQL for tests: the server NEARHUB_TEST_POSTGRES_URL names (scripts/pg-test-cluster.sh
// starts one and prints its URL), and a schema of its own for each test, so tests running at
// the same time in other processes never see each other's tables.

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "db/database.h"

namespace nearhub::db::testing {

inline constexpr const char* kPostgresUnavailable =
    "NEARHUB_TEST_POSTGRES_URL is not set; `scripts/pg-test-cluster.sh start DIR` starts a "
    "throwaway server and prints a URL for it";

inline std::optional<std::string> postgres_test_url() {
  const char* url = std::getenv("NEARHUB_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

// `url` with one more query parameter.
inline std::string with_parameter(const std::string& url, const std::string& parameter) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

// Creates a uniquely named schema on construction and drops it, with everything in it, on
// destruction; url() opens databases whose connections use it as their search_path.
class PostgresTestSchema {
 public:
  explicit PostgresTestSchema(const std::string& base_url)
      : admin_(open(base_url, {.pool_size = 1})), name_(unique_name()) {
    admin_->session()->execute_script("CREATE SCHEMA " + name_);
    url_ = with_parameter(base_url, "options=-csearch_path%3D" + name_);
  }
  ~PostgresTestSchema() {
    try {
      admin_->session()->execute_script("DROP SCHEMA " + name_ + " CASCADE");
    } catch (const Error& error) {  // a destructor must not throw; the schema stays behind
      std::cerr << "cannot drop test schema " << name_ << ": " << error.what() << "\n";
    }
  }
  PostgresTestSchema(const PostgresTestSchema&) = delete;
  PostgresTestSchema& operator=(const PostgresTestSchema&) = delete;

  const std::string& name() const { return name_; }
  const std::string& url() const { return url_; }

 private:
  static std::string unique_name() {
    std::random_device random;
    return "nearhub_test_" + std::to_string(random()) + "_" + std::to_string(random());
  }

  std::unique_ptr<Database> admin_;
  std::string name_;
  std::string url_;
};

}  // namespace nearhub::db::testing
