#include "threads/serialize.h"

#include "threads/thread_metadata.h"

namespace nearhub::threads {

using nlohmann::ordered_json;

namespace {

std::int64_t seconds(std::int64_t unix_us) { return unix_us / 1'000'000; }

ordered_json optional_text(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

ordered_json optional_json(const std::optional<ordered_json>& value) {
  if (!value) return nullptr;
  return *value;
}

ordered_json optional_json(std::optional<ordered_json>&& value) {
  if (!value) return nullptr;
  return std::move(*value);
}

}  // namespace

ordered_json thread_json(const Thread& thread) {
  return {{"id", thread.id},
          {"object", "thread"},
          {"created_at", seconds(thread.created_at)},
          {"metadata", metadata_for_output(thread.metadata, thread.owner_id, thread.parent_id)},
          {"tool_resources", nullptr}};  // stored, never returned (§1.7 [DEV])
}

ordered_json fork_json(const Thread& thread) {
  return {{"id", thread.id},
          {"object", "thread"},
          {"created_at", seconds(thread.created_at)},
          {"metadata", optional_json(thread.metadata)}};
}

ordered_json thread_deleted_json(const std::string& id) {
  return {{"id", id}, {"object", "thread.deleted"}, {"deleted", true}};
}

ordered_json message_json(const Message& message) { return message_json(Message(message)); }

ordered_json message_json(Message&& message) {
  return {{"id", message.id},
          {"object", "thread.message"},
          {"created_at", seconds(message.created_at)},
          {"thread_id", message.thread_id},
          {"status", message.status},
          {"incomplete_details", nullptr},
          {"completed_at", nullptr},  // always null although completed [QUIRK]
          {"incomplete_at", nullptr},
          {"role", message.role},
          {"content", std::move(message.content)},
          {"assistant_id", optional_text(message.assistant_id)},
          {"run_id", optional_text(message.run_id)},
          {"attachments", optional_json(std::move(message.attachments))},
          {"metadata", optional_json(std::move(message.metadata))}};
}

ordered_json message_list_json(MessagePage page) {
  const std::string first_id = page.data.empty() ? "" : page.data.front().id;
  const std::string last_id = page.data.empty() ? "" : page.data.back().id;
  ordered_json data = ordered_json::array();
  data.get_ref<ordered_json::array_t&>().reserve(page.data.size());
  for (Message& message : page.data) data.push_back(message_json(std::move(message)));
  ordered_json list = ordered_json::object();  // built in place: no copy of `data`
  list["object"] = "list";
  list["data"] = std::move(data);
  list["first_id"] = first_id;
  list["last_id"] = last_id;
  list["has_more"] = page.has_more;
  return list;
}

}  // namespace nearhub::threads
