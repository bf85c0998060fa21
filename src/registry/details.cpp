#include "registry/details.h"

namespace nearhub::registry {

namespace {

bool truthy(const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::boolean:
      return value.get<bool>();
    case nlohmann::ordered_json::value_t::number_integer:
    case nlohmann::ordered_json::value_t::number_unsigned:
    case nlohmann::ordered_json::value_t::number_float:
      return value.get<double>() != 0;
    case nlohmann::ordered_json::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    case nlohmann::ordered_json::value_t::array:
    case nlohmann::ordered_json::value_t::object:
      return !value.empty();
    default:
      return false;
  }
}

}  // namespace

bool is_private(const nlohmann::ordered_json& details) {
  if (!details.is_object()) return false;
  const auto it = details.find("private_source");
  return it != details.end() && truthy(*it);
}

void obfuscate_encryption_key(nlohmann::ordered_json& details) {
  if (details.is_object() && details.contains("encryption_key")) {
    details["encryption_key"] = kObfuscatedSecret;
  }
}

void remove_x_mentions_trigger(nlohmann::ordered_json& details) {
  if (!details.is_object()) return;
  const auto triggers = details.find("triggers");
  if (triggers == details.end() || !triggers->is_object()) return;
  const auto events = triggers->find("events");
  if (events != triggers->end() && events->is_object()) {
    events->erase("x_mentions");
    if (events->empty()) triggers->erase("events");
  }
  if (triggers->empty()) details.erase("triggers");
}

}  // namespace nearhub::registry
