#pragma once
// Resolved configuration: for every key of settings(), the command-line flag if given, else the
// NEARHUB_* environment variable, else the TOML file, else the default. Values are checked
// against their declared type when loaded, so a typo fails at start-up with the key's name.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nearhub::app {

class Config {
 public:
  using Environment = std::function<std::optional<std::string>(const std::string&)>;

  // `flags` maps a setting's flag ("--port") to its value. Throws std::runtime_error naming the
  // key and source at fault (unknown TOML key, wrong type, unreadable file).
  static Config load(const std::map<std::string, std::string>& flags,
                     const std::string& config_file, const Environment& environment);
  // The process environment.
  static Environment process_environment();

  const std::string& text(const std::string& key) const;
  std::int64_t integer(const std::string& key) const;
  bool boolean(const std::string& key) const;
  std::vector<std::string> list(const std::string& key) const;

 private:
  std::map<std::string, std::string> values_;  // key → value as text (lists comma-separated)
};

}  // namespace nearhub::app
