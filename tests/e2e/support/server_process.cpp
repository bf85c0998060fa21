#include "e2e/support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/postgres_test_schema.h"

namespace nearhub::e2e {

namespace {

// Reads the child's stdout until the "listening on" line, which carries the bound port.
unsigned short read_port(int fd, pid_t pid, const std::filesystem::path& log_file) {
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  static const std::regex listening(R"(listening on http://[^:\s]+:(\d+))");
  char buffer[512];
  while (std::chrono::steady_clock::now() < deadline) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      seen.append(buffer, static_cast<std::size_t>(n));
      std::smatch match;
      if (std::regex_search(seen, match, listening)) {
        return static_cast<unsigned short>(std::stoi(match[1]));
      }
      continue;
    }
    if (n == 0) break;  // the server exited before listening
    if (errno != EINTR) break;
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  std::ifstream log(log_file);
  std::stringstream text;
  text << log.rdbuf();
  throw std::runtime_error("nearhub did not start; stdout: " + seen + "\nlog:\n" + text.str());
}

}  // namespace

std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

ServerProcess::ServerProcess(Options options) {
  owns_data_dir_ = options.data_dir.empty();
  data_dir_ = owns_data_dir_ ? make_temp_dir("nearhub-e2e") : options.data_dir;
  log_file_ =
      data_dir_ /
      ("server-" + std::to_string(getpid()) + "-" +
       std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".log");

  if (auto it = options.environment.find("NEARHUB_DATABASE"); it != options.environment.end()) {
    database_url_ = it->second;
  } else if (auto postgres = db::testing::postgres_test_url()) {
    schema_ = std::make_unique<db::testing::PostgresTestSchema>(*postgres);
    database_url_ = schema_->url();
    options.environment["NEARHUB_DATABASE"] = database_url_;
  } else {
    database_url_ = "sqlite:" + (data_dir_ / "hub.db").string();
  }

  std::vector<std::string> args = {NEARHUB_BINARY, "serve",     "--port",     "0",
                                   "--host",       "127.0.0.1", "--data-dir", data_dir_.string()};
  args.insert(args.end(), options.arguments.begin(), options.arguments.end());

  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    const int log_fd = open(log_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(log_fd, STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    for (const auto& [name, value] : options.environment) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  port_ = read_port(out[0], pid_, log_file_);
  close(out[0]);  // the server writes nothing more to stdout
}

int ServerProcess::stop(int signal) {
  if (pid_ <= 0) return 0;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ServerProcess::~ServerProcess() {
  stop();
  schema_.reset();  // after the server has closed its connections
  if (owns_data_dir_) {
    std::error_code ignored;
    std::filesystem::remove_all(data_dir_, ignored);
  }
}

std::string ServerProcess::log() const {
  std::ifstream file(log_file_);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace nearhub::e2e
