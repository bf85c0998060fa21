#pragma once
// Runs the real build/nearhub binary for a test: `nearhub serve --port 0` in a fresh temporary
// data directory, with extra environment variables; stopped with SIGTERM when destroyed.
// When NEARHUB_TEST_POSTGRES_URL is set, every server gets a fresh PostgreSQL schema instead of
// SQLite (unless the test names a database), so the whole suite runs on both engines.

#include <sys/types.h>

#include <csignal>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nearhub::db::testing {
class PostgresTestSchema;
}

namespace nearhub::e2e {

class ServerProcess {
 public:
  struct Options {
    std::map<std::string, std::string> environment;  // NEARHUB_* settings for this server
    std::vector<std::string> arguments;              // extra `serve` arguments
    std::filesystem::path data_dir;                  // empty: a new temporary directory
  };

  explicit ServerProcess(Options options);
  ServerProcess() : ServerProcess(Options{}) {}
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // Sends `signal` (SIGTERM: a clean stop; SIGKILL: a crash) and waits; returns the exit status
  // (as from waitpid's WEXITSTATUS, or 128 + the signal).
  int stop(int signal = SIGTERM);
  // The database URL the server was started with (to start a second process on it).
  const std::string& database_url() const { return database_url_; }
  // What the server wrote to stderr so far (its log).
  std::string log() const;

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::filesystem::path data_dir_;
  std::filesystem::path log_file_;
  bool owns_data_dir_ = false;
  std::string database_url_;
  std::unique_ptr<db::testing::PostgresTestSchema> schema_;
};

// A fresh directory under the system temporary directory.
std::filesystem::path make_temp_dir(const std::string& prefix);

}  // namespace nearhub::e2e
