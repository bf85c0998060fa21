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

}  // namespace nearhub::threads::schemas
