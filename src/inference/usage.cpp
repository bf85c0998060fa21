#include "inference/usage.h"

namespace nearhub::inference {

namespace {

std::int64_t count(const nlohmann::json& usage, const char* name) {
  const auto it = usage.find(name);
  if (it == usage.end() || !it->is_number()) return 0;
  return it->get<std::int64_t>();
}

std::optional<std::string> details(const nlohmann::json& usage, const char* name) {
  const auto it = usage.find(name);
  if (it == usage.end() || it->is_null()) return std::nullopt;
  return it->dump();
}

}  // namespace

std::string json_or_value(const std::string& text) {
  if (nlohmann::json::accept(text)) return text;
  return nlohmann::json({{"value", text}}).dump();
}

void apply_usage(UsageRow& row, const nlohmann::json& usage) {
  if (!usage.is_object()) return;
  row.completion_tokens = count(usage, "completion_tokens");
  row.prompt_tokens = count(usage, "prompt_tokens");
  row.total_tokens = count(usage, "total_tokens");
  row.completion_tokens_details = details(usage, "completion_tokens_details");
  row.prompt_tokens_details = details(usage, "prompt_tokens_details");
}

}  // namespace nearhub::inference
