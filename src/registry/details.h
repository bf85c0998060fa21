#pragma once
// Rules on an entry's free-form `details` object (spec/platform.md §6.1, §6.8).

#include <nlohmann/json.hpp>

namespace nearhub::registry {

// What readers who may not see the key get instead of details.encryption_key.
inline constexpr const char* kObfuscatedSecret = "<secret>";

// details.private_source is truthy in Python's sense (true, a non-zero number, a non-empty
// string, array or object).
bool is_private(const nlohmann::ordered_json& details);

// Replaces the top-level encryption_key, when there is one, by "<secret>". Nested keys stay.
void obfuscate_encryption_key(nlohmann::ordered_json& details);

// A fork does not inherit the X (Twitter) mention trigger: removes triggers.events.x_mentions,
// then `events` if it became empty, then `triggers` if it became empty.
void remove_x_mentions_trigger(nlohmann::ordered_json& details);

}  // namespace nearhub::registry
