#pragma once
// Thread metadata on the way in and out (spec/assistants.md §1.7 "Thread", §2.4 [BUG]/[REC]).
// Stored: the client's object with `agent_ids` as a list and without the keys the serializer
// derives. Emitted: `agent_ids` comma-joined, `owner_id` always, `parent_id` when set.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace nearhub::threads {

// The object to store for a validated metadata input: an `agent_ids` string is split on commas
// (empty items dropped), and `owner_id`, `parent_id`, `child_thread_ids` are removed, so sending
// back what a thread response showed stores the same thing again.
nlohmann::ordered_json metadata_for_storage(const nlohmann::ordered_json& metadata);

// The `metadata` of a Thread response.
nlohmann::ordered_json metadata_for_output(const std::optional<nlohmann::ordered_json>& stored,
                                           const std::string& owner_id,
                                           const std::optional<std::string>& parent_id);

}  // namespace nearhub::threads
