#pragma once
// Every configuration key, declared once: its TOML key, environment variable, command-line flag,
// type, default and meaning. Loading (flags, then NEARHUB_* variables, then the TOML file, then
// the default) and docs/configuration.md are both driven by this table.

#include <cstdint>
#include <string>
#include <vector>

namespace nearhub::app {

enum class SettingType { String, Integer, Boolean, StringList };

struct Setting {
  std::string key;   // TOML key, "section.name"
  std::string env;   // environment variable
  std::string flag;  // `nearhub serve` flag, empty when the key has none
  SettingType type;
  std::string default_value;  // as text; lists are comma-separated
  std::string description;
  std::int64_t minimum = 0;  // integers only: the smallest value accepted
};

const std::vector<Setting>& settings();

// A TOML table whose keys the operator chooses (e.g. [providers.<name>]); read whole with
// Config::table(name). `name` is the table's dotted path.
struct DynamicTable {
  std::string name;
  std::string description;
  std::int64_t minimum = 0;  // integers only: the smallest value accepted
};

const std::vector<DynamicTable>& dynamic_tables();

// The Markdown table of docs/configuration.md, generated from settings().
std::string settings_markdown();

}  // namespace nearhub::app
