#pragma once
// The response shapes of spec/assistants.md §1.7: every key present, `null` where there is no
// value, fields in the original's order, timestamps in Unix seconds.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "threads/store.h"

namespace nearhub::threads {

// Thread (T1, T2 items, T3, T4, T7).
nlohmann::ordered_json thread_json(const Thread& thread);
// ThreadForkResponse (T6): raw stored metadata, no tool_resources [QUIRK].
nlohmann::ordered_json fork_json(const Thread& thread);
// {"id", "object": "thread.deleted", "deleted": true} (T5).
nlohmann::ordered_json thread_deleted_json(const std::string& id);
// Message (T8, T9 items, T10).
nlohmann::ordered_json message_json(const Message& message);
nlohmann::ordered_json message_json(Message&& message);  // moves the content trees

struct MessagePage {
  std::vector<Message> data;
  bool has_more = false;
};
// {"object": "list", "data", "first_id", "last_id", "has_more"} (T9). Takes the page by value:
// its content trees are moved into the response rather than copied.
nlohmann::ordered_json message_list_json(MessagePage page);

}  // namespace nearhub::threads
