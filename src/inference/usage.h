#pragma once
// Usage accounting rows of the `completions` table (spec §4.2.3).

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nearhub::inference {

struct UsageRow {
  std::string account_id;
  std::string query;     // JSON text
  std::string response;  // JSON text
  std::string model;     // after resolution, without the provider
  std::string provider;
  std::string
      endpoint;  // "/completions", "/chat/completions", "/embeddings", "/images/generations"
  std::int64_t created_at = 0;  // Unix microseconds
  std::int64_t completion_tokens = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t total_tokens = 0;
  std::optional<std::string> completion_tokens_details;  // JSON text
  std::optional<std::string> prompt_tokens_details;      // JSON text
};

// The text itself when it is valid JSON, else the JSON text of {"value": text} (§4.2.3).
std::string json_or_value(const std::string& text);

// Takes the token counts of an OpenAI `usage` object. A null or absent usage leaves zeros
// ([BUG] of §4.2.3 fixed: the original failed with 500 on "usage": null).
void apply_usage(UsageRow& row, const nlohmann::json& usage);

}  // namespace nearhub::inference
