#include "app/config.h"

#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "app/settings.h"

namespace nearhub::app {

namespace {

const Setting& find_setting(const std::string& key) {
  for (const Setting& s : settings()) {
    if (s.key == key) return s;
  }
  throw std::logic_error("unknown configuration key " + key);
}

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::optional<std::int64_t> parse_integer(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return value;
}

std::optional<bool> parse_boolean(const std::string& text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  return std::nullopt;
}

// Checks a textual value against the setting's type; `source` names where it came from.
void check_type(const Setting& setting, const std::string& value, const std::string& source) {
  if (setting.type == SettingType::Integer) {
    const std::optional<std::int64_t> number = parse_integer(value);
    if (!number) {
      throw std::runtime_error(fmt::format("{}: expected an integer, got '{}'", source, value));
    }
    if (*number < setting.minimum) {
      throw std::runtime_error(
          fmt::format("{}: expected at least {}, got {}", source, setting.minimum, *number));
    }
  }
  if (setting.type == SettingType::Boolean && !parse_boolean(value)) {
    throw std::runtime_error(fmt::format("{}: expected true or false, got '{}'", source, value));
  }
}

// TOML node → the textual form used for every source.
std::string toml_value_text(const toml::node& node, const Setting& setting,
                            const std::string& source) {
  auto expect = [&](const char* what) {
    return std::runtime_error(fmt::format("{}: expected {}", source, what));
  };
  switch (setting.type) {
    case SettingType::String:
      if (auto v = node.value<std::string>()) return *v;
      throw expect("a string");
    case SettingType::Integer:
      if (auto v = node.value<std::int64_t>()) return std::to_string(*v);
      throw expect("an integer");
    case SettingType::Boolean:
      if (auto v = node.value<bool>()) return *v ? "true" : "false";
      throw expect("true or false");
    case SettingType::StringList: {
      const toml::array* array = node.as_array();
      if (!array) throw expect("an array of strings");
      std::string joined;
      for (const toml::node& item : *array) {
        auto v = item.value<std::string>();
        if (!v) throw expect("an array of strings");
        if (!joined.empty()) joined += ',';
        joined += *v;
      }
      return joined;
    }
  }
  throw expect("a value");
}

// Plain JSON for a TOML value (the dynamic tables hold strings, numbers, booleans, arrays).
nlohmann::json toml_to_json(const toml::node& node) {
  if (const toml::table* table = node.as_table()) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [name, value] : *table) object[std::string(name.str())] = toml_to_json(value);
    return object;
  }
  if (const toml::array* array = node.as_array()) {
    nlohmann::json items = nlohmann::json::array();
    for (const toml::node& item : *array) items.push_back(toml_to_json(item));
    return items;
  }
  if (auto v = node.value_exact<std::string>()) return *v;
  if (auto v = node.value_exact<std::int64_t>()) return *v;
  if (auto v = node.value_exact<double>()) return *v;
  if (auto v = node.value_exact<bool>()) return *v;
  // Dates and times have no use in these tables.
  throw std::runtime_error("dates and times are not accepted in this table");
}

bool is_dynamic_table(const std::string& name) {
  for (const DynamicTable& table : dynamic_tables()) {
    if (table.name == name) return true;
  }
  return false;
}

struct TomlContent {
  std::map<std::string, std::string> values;
  std::map<std::string, nlohmann::json> tables;
};

TomlContent load_toml(const std::string& path) {
  TomlContent content;
  std::map<std::string, std::string>& values = content.values;
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    throw std::runtime_error(
        fmt::format("{}: {} (line {})", path, error.description(), error.source().begin.line));
  }
  for (const auto& [section, node] : root) {
    if (is_dynamic_table(std::string(section.str()))) {
      if (!node.is_table()) {
        throw std::runtime_error(fmt::format("{}: '{}' must be a [section]", path, section.str()));
      }
      content.tables[std::string(section.str())] = toml_to_json(node);
      continue;
    }
    const toml::table* table = node.as_table();
    if (!table) {
      throw std::runtime_error(fmt::format("{}: '{}' must be a [section]", path, section.str()));
    }
    for (const auto& [name, value] : *table) {
      const std::string key = std::string(section.str()) + "." + std::string(name.str());
      if (is_dynamic_table(key)) {
        if (!value.is_table()) {
          throw std::runtime_error(fmt::format("{}: '{}' must be a [section]", path, key));
        }
        content.tables[key] = toml_to_json(value);
        continue;
      }
      const Setting* setting = nullptr;
      for (const Setting& s : settings()) {
        if (s.key == key) setting = &s;
      }
      if (!setting) throw std::runtime_error(fmt::format("{}: unknown key '{}'", path, key));
      values[key] = toml_value_text(value, *setting, path + ": " + key);
    }
  }
  return content;
}

}  // namespace

Config::Environment Config::process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

Config Config::load(const std::map<std::string, std::string>& flags, const std::string& config_file,
                    const Environment& environment) {
  TomlContent file_content;
  if (!config_file.empty()) file_content = load_toml(config_file);
  const std::map<std::string, std::string>& from_file = file_content.values;

  Config config;
  config.tables_ = std::move(file_content.tables);
  for (const Setting& setting : settings()) {
    std::string value = setting.default_value;
    std::string source = "default of " + setting.key;
    if (auto it = from_file.find(setting.key); it != from_file.end()) {
      value = it->second;
      source = config_file + ": " + setting.key;
    }
    if (auto env = environment(setting.env)) {
      value = *env;
      source = setting.env;
    }
    if (!setting.flag.empty()) {
      if (auto it = flags.find(setting.flag); it != flags.end()) {
        value = it->second;
        source = setting.flag;
      }
    }
    check_type(setting, value, source);
    config.values_[setting.key] = value;
  }
  return config;
}

const std::string& Config::text(const std::string& key) const {
  find_setting(key);
  return values_.at(key);
}

const nlohmann::json& Config::table(const std::string& name) const {
  static const nlohmann::json empty = nlohmann::json::object();
  if (!is_dynamic_table(name)) throw std::logic_error("unknown configuration table " + name);
  const auto it = tables_.find(name);
  return it == tables_.end() ? empty : it->second;
}

std::int64_t Config::integer(const std::string& key) const { return *parse_integer(text(key)); }

bool Config::boolean(const std::string& key) const { return *parse_boolean(text(key)); }

std::vector<std::string> Config::list(const std::string& key) const {
  std::vector<std::string> items;
  const std::string& joined = text(key);
  std::size_t start = 0;
  while (start <= joined.size()) {
    const std::size_t comma = std::min(joined.find(',', start), joined.size());
    std::string item = trim(joined.substr(start, comma - start));
    if (!item.empty()) items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

}  // namespace nearhub::app
