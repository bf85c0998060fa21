#include "threads/run_serialize.h"

#include <array>

#include "util/json.h"

namespace nearhub::threads {

using nlohmann::ordered_json;

namespace {

// How far ahead the synthetic payloads put expires_at (§4.4: now + 600 s).
constexpr std::int64_t kSyntheticExpiryUs = 600'000'000;

ordered_json seconds(const std::optional<std::int64_t>& unix_us) {
  if (!unix_us) return nullptr;
  return *unix_us / 1'000'000;
}

ordered_json optional_json(const std::optional<ordered_json>& value) {
  if (!value) return nullptr;
  return *value;
}

ordered_json option(const Run& run, const char* key) {
  return run.options.contains(key) ? run.options[key] : ordered_json(nullptr);
}

}  // namespace

ordered_json run_json(const Run& run) {
  return {{"id", run.id},
          {"object", "thread.run"},
          {"created_at", run.created_at / 1'000'000},
          {"assistant_id", run.assistant_id},
          {"thread_id", run.thread_id},
          {"status", run.status},
          {"started_at", seconds(run.started_at)},
          {"expires_at", seconds(run.expires_at)},
          {"cancelled_at", seconds(run.cancelled_at)},
          {"failed_at", seconds(run.failed_at)},
          {"completed_at", seconds(run.completed_at)},
          {"required_action", nullptr},  // the agent's required_action is dropped [QUIRK]
          {"last_error", optional_json(run.last_error)},
          {"incomplete_details", nullptr},
          {"model", run.model},
          {"instructions", run.instructions.value_or("")},
          {"tools", run.tools && run.tools->is_array() ? *run.tools : ordered_json::array()},
          {"metadata", optional_json(run.metadata)},
          {"usage", nullptr},
          {"temperature", option(run, "temperature")},
          {"top_p", option(run, "top_p")},
          {"max_prompt_tokens", option(run, "max_prompt_tokens")},
          {"max_completion_tokens", option(run, "max_completion_tokens")},
          {"truncation_strategy", option(run, "truncation_strategy")},
          {"response_format", option(run, "response_format")},
          {"tool_choice", option(run, "tool_choice")},
          {"parallel_tool_calls", option(run, "parallel_tool_calls").is_boolean()
                                      ? option(run, "parallel_tool_calls")
                                      : ordered_json(false)}};
}

ordered_json synthetic_run_payload(const Run& run, std::string_view status, std::int64_t now_us) {
  const std::int64_t now = now_us / 1'000'000;
  return {{"id", run.id},
          {"object", "thread.run"},
          {"created_at", now},  // now, not the run's creation time, as the original
          {"assistant_id", run.assistant_id},
          {"thread_id", run.thread_id},
          {"status", status},
          {"started_at", status == "in_progress" ? ordered_json(now) : ordered_json(nullptr)},
          {"expires_at", (now_us + kSyntheticExpiryUs) / 1'000'000},
          {"cancelled_at", nullptr},
          {"failed_at", nullptr},
          {"completed_at", nullptr},
          {"required_action", nullptr},
          {"last_error", nullptr},
          {"model", run.model},
          {"instructions", run.instructions ? ordered_json(*run.instructions) : nullptr},
          {"tools", optional_json(run.tools)},
          {"metadata", optional_json(run.metadata)},  // the original always sent null [BUG]
          {"temperature", option(run, "temperature")},
          {"top_p", option(run, "top_p")},
          {"max_completion_tokens", option(run, "max_completion_tokens")},
          {"max_prompt_tokens", option(run, "max_prompt_tokens")},
          {"truncation_strategy", option(run, "truncation_strategy")},
          {"incomplete_details", nullptr},
          {"usage", nullptr},
          {"response_format", option(run, "response_format")},
          {"tool_choice", option(run, "tool_choice")},
          {"parallel_tool_calls", option(run, "parallel_tool_calls").is_boolean()
                                      ? option(run, "parallel_tool_calls")
                                      : ordered_json(false)}};
}

ordered_json step_payload(const Run& run, std::int64_t now_us) {
  const std::int64_t now = now_us / 1'000'000;
  return {{"id", "step_001"},  // the original's literal placeholders [QUIRK]
          {"object", "thread.run.step"},
          {"created_at", now},
          {"run_id", run.id},
          {"assistant_id", run.assistant_id},
          {"thread_id", run.thread_id},
          {"type", "message_creation"},
          {"status", "in_progress"},
          {"cancelled_at", nullptr},
          {"completed_at", nullptr},
          {"expires_at", (now_us + kSyntheticExpiryUs) / 1'000'000},
          {"failed_at", nullptr},
          {"last_error", nullptr},
          {"step_details",
           {{"type", "message_creation"}, {"message_creation", {{"message_id", "msg_001"}}}}},
          {"usage", nullptr}};
}

std::string run_stream_frame(std::string_view event, std::string_view data_json) {
  std::string frame;
  frame.reserve(event.size() + data_json.size() + 40);
  frame += "data: {\"event\": ";
  frame += util::dump_json(nlohmann::json(std::string(event)));
  frame += ", \"data\": ";
  frame += data_json;
  frame += "}\n\n";
  return frame;
}

bool is_closing_event(std::string_view event) {
  static constexpr std::array<std::string_view, 6> kClosing = {
      "thread.run.completed", "thread.run.failed",     "thread.run.cancelled",
      "thread.run.expired",   "thread.run.incomplete", "thread.run.requires_action"};
  for (std::string_view closing : kClosing) {
    if (event == closing) return true;
  }
  return false;
}

}  // namespace nearhub::threads
