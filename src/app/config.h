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

#include <nlohmann/json.hpp>

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
  // A table of the TOML file whose keys the operator chooses (declared in dynamic_tables() of
  // settings.h, e.g. "providers" for [providers.<name>]), as JSON; an empty object when absent.
  // These come from the file only: their keys are not known in advance, so they have no flag
  // or NEARHUB_* variable.
  const nlohmann::json& table(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;     // key → value as text (lists comma-separated)
  std::map<std::string, nlohmann::json> tables_;  // dynamic table name → its content
};

}  // namespace nearhub::app
