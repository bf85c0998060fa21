#include "threads/schemas.h"

namespace nearhub::threads::schemas {

using nlohmann::json;

namespace {

const json kString = {{"type", "string"}};
const json kNullableString = {{"type", {"string", "null"}}};
const json kInteger = {{"type", "integer"}};
const json kNull = {{"type", "null"}};

json object_of(json properties, json required = json::array()) {
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", required}};
}

json content_part() {
  const json detail = {{"type", "string"}, {"enum", {"auto", "low", "high"}}};
  return {{"anyOf",
           {object_of({{"type", {{"type", "string"}, {"enum", {"text"}}}}, {"text", kString}},
                      {"type", "text"}),
            object_of({{"type", {{"type", "string"}, {"enum", {"image_file"}}}},
                       {"image_file",
                        object_of({{"file_id", kString}, {"detail", detail}}, {"file_id"})}},
                      {"type", "image_file"}),
            object_of({{"type", {{"type", "string"}, {"enum", {"image_url"}}}},
                       {"image_url", object_of({{"url", kString}, {"detail", detail}}, {"url"})}},
                      {"type", "image_url"})}}};
}

json attachments() {
  const json tool = object_of(
      {{"type", {{"type", "string"}, {"enum", {"code_interpreter", "file_search"}}}}}, {"type"});
  return {{"type", {"array", "null"}},
          {"items", object_of({{"file_id", kString},
                               {"tools", {{"type", {"array", "null"}}, {"items", tool}}}},
                              {"file_id"})}};
}

}  // namespace

json message_metadata() {
  return {{"type", {"object", "null"}},
          {"additionalProperties", kString},
          {"description", "String values only."}};
}

json thread_metadata() {
  json schema = message_metadata();
  schema["properties"] = {
      {"agent_ids", {{"anyOf", {kString, {{"type", "array"}, {"items", kString}}}}}}};
  schema["description"] =
      "String values only; `agent_ids` may be a list or a comma-separated string. The derived "
      "keys owner_id, parent_id and child_thread_ids are not stored.";
  return schema;
}

json message_create() {
  return object_of({{"role", {{"type", "string"}, {"enum", {"user", "assistant"}}}},
                    {"content",
                     {{"anyOf", {kString, {{"type", "array"}, {"items", content_part()}}}},
                      {"description", "A string, or text / image_file / image_url parts."}}},
                    {"attachments", attachments()},
                    {"metadata", message_metadata()},
                    {"assistant_id", kNullableString},
                    {"run_id", kNullableString}},
                   {"role", "content"});
}

json create_thread_body() {
  return object_of({{"messages", {{"type", {"array", "null"}}, {"items", message_create()}}},
                    {"metadata", thread_metadata()},
                    {"tool_resources", {{"type", {"object", "null"}}}}});
}

json modify_thread_body() {
  return object_of(
      {{"metadata", thread_metadata()}, {"tool_resources", {{"type", {"object", "null"}}}}});
}

json subthread_body() {
  return object_of(
      {{"messages_to_copy",
        {{"type", "array"},
         {"items", {{"type", {"string", "integer"}}}},
         {"default", json::array()},
         {"description", "Ids of the parent's messages to copy; integers are ignored."}}},
       {"new_messages",
        {{"type", "array"}, {"items", message_create()}, {"default", json::array()}}}});
}

json message_metadata_body() { return object_of({{"metadata", message_metadata()}}, {"metadata"}); }

json create_run_body() {
  const json nullable_number = {{"type", {"number", "null"}}};
  const json nullable_integer = {{"type", {"integer", "null"}}};
  const json nullable_object = {{"type", {"object", "null"}}};
  return object_of(
      {{"assistant_id",
        {{"type", "string"},
         {"description", "The registry agent: namespace/name/version (version may be latest)."}}},
       {"model", {{"type", "string"}, {"default", ""}}},
       {"instructions", kNullableString},
       {"additional_instructions", kNullableString},
       {"additional_messages", {{"type", {"array", "null"}}, {"items", message_create()}}},
       {"tools", {{"type", {"array", "null"}}, {"items", {{"type", "object"}}}}},
       {"metadata", message_metadata()},
       {"include", {{"type", "array"}, {"items", {{"type", "object"}}}}},
       {"max_completion_tokens", nullable_integer},
       {"max_prompt_tokens", nullable_integer},
       {"parallel_tool_calls", {{"type", {"boolean", "null"}}}},
       {"response_format",
        {{"anyOf", {{{"type", "string"}, {"enum", {"auto"}}}, {{"type", "object"}}, kNull}}}},
       {"temperature", nullable_number},
       {"tool_choice", {{"type", {"string", "object", "null"}}}},
       {"top_p", nullable_number},
       {"truncation_strategy",
        {{"anyOf",
          {object_of({{"type", {{"type", "string"}, {"enum", {"auto", "last_messages"}}}},
                      {"last_messages", nullable_integer}},
                     {"type"}),
           kNull}}}},
       {"stream", {{"type", "boolean"}, {"default", false}}},
       {"schedule_at",
        {{"type", {"string", "number", "null"}},
         {"description", "When to execute the run (ISO 8601 or Unix seconds; naive = UTC)."}}},
       {"delegate_execution",
        {{"type", "boolean"},
         {"default", false},
         {"description", "The caller executes the agent itself and reports the status."}}},
       {"parent_run_id", kNullableString},
       {"run_mode",
        {{"type", "integer"},
         {"enum", {0, 1}},
         {"default", 0},
         {"description",
          "0 SIMPLE, 1 WITH_CALLBACK. Stored and returned; nearhub does not resume the parent "
          "run afterwards yet (docs/agents.md)."}}}},
      {"assistant_id"});
}

json update_run_body() {
  const json datetime = {{"type", {"string", "number", "null"}},
                         {"description", "ISO 8601 (naive = UTC) or Unix seconds."}};
  return object_of({{"status",
                     {{"type", {"string", "null"}},
                      {"enum", {"requires_action", "failed", "expired", "completed", nullptr}}}},
                    {"completed_at", datetime},
                    {"failed_at", datetime},
                    {"metadata", message_metadata()}});
}

json thread() {
  return object_of({{"id", kString},
                    {"object", {{"type", "string"}, {"enum", {"thread"}}}},
                    {"created_at", kInteger},
                    {"metadata", {{"type", "object"}}},
                    {"tool_resources", kNull}},
                   {"id", "object", "created_at", "metadata", "tool_resources"});
}

json thread_fork() {
  return object_of({{"id", kString},
                    {"object", {{"type", "string"}, {"enum", {"thread"}}}},
                    {"created_at", kInteger},
                    {"metadata", {{"type", {"object", "null"}}}}},
                   {"id", "object", "created_at", "metadata"});
}

json thread_deleted() {
  return object_of({{"id", kString},
                    {"object", {{"type", "string"}, {"enum", {"thread.deleted"}}}},
                    {"deleted", {{"type", "boolean"}}}},
                   {"id", "object", "deleted"});
}

json message() {
  return object_of(
      {{"id", kString},
       {"object", {{"type", "string"}, {"enum", {"thread.message"}}}},
       {"created_at", kInteger},
       {"thread_id", kString},
       {"status", kString},
       {"incomplete_details", kNull},
       {"completed_at", kNull},
       {"incomplete_at", kNull},
       {"role", kString},
       {"content", {{"type", "array"}, {"items", {{"type", "object"}}}}},
       {"assistant_id", kNullableString},
       {"run_id", kNullableString},
       {"attachments", {{"type", {"array", "null"}}}},
       {"metadata", {{"type", {"object", "null"}}}}},
      {"id", "object", "created_at", "thread_id", "status", "incomplete_details", "completed_at",
       "incomplete_at", "role", "content", "assistant_id", "run_id", "attachments", "metadata"});
}

json message_list() {
  return object_of({{"object", {{"type", "string"}, {"enum", {"list"}}}},
                    {"data", {{"type", "array"}, {"items", message()}}},
                    {"first_id", kString},
                    {"last_id", kString},
                    {"has_more", {{"type", "boolean"}}}},
                   {"object", "data", "first_id", "last_id", "has_more"});
}

json run() {
  const json nullable_integer = {{"type", {"integer", "null"}}};
  json properties = {
      {"id", kString},
      {"object", {{"type", "string"}, {"enum", {"thread.run"}}}},
      {"created_at", kInteger},
      {"assistant_id", kString},
      {"thread_id", kString},
      {"status", kString},
      {"started_at", nullable_integer},
      {"expires_at", nullable_integer},
      {"cancelled_at", nullable_integer},
      {"failed_at", nullable_integer},
      {"completed_at", nullable_integer},
      {"required_action", kNull},
      {"last_error", {{"anyOf", {object_of({{"code", kString}, {"message", kString}}), kNull}}}},
      {"incomplete_details", kNull},
      {"model", kString},
      {"instructions", kString},
      {"tools", {{"type", "array"}}},
      {"metadata", {{"type", {"object", "null"}}}},
      {"usage", kNull},
      {"parallel_tool_calls", {{"type", "boolean"}}}};
  json required = json::array();
  for (const auto& [key, _] : properties.items()) required.push_back(key);
  return object_of(std::move(properties), std::move(required));
}

}  // namespace nearhub::threads::schemas
