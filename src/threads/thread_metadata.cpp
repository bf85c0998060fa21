#include "threads/thread_metadata.h"

namespace nearhub::threads {

using nlohmann::ordered_json;

namespace {

ordered_json split_agent_ids(const std::string& text) {
  ordered_json list = ordered_json::array();
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) list.push_back(item.substr(first, last - first + 1));
    start = comma + 1;
  }
  return list;
}

}  // namespace

ordered_json metadata_for_storage(const ordered_json& metadata) {
  ordered_json stored = ordered_json::object();
  for (const auto& [key, value] : metadata.items()) {
    if (key == "owner_id" || key == "parent_id" || key == "child_thread_ids") continue;
    if (key == "agent_ids" && value.is_string()) {
      stored[key] = split_agent_ids(value.get<std::string>());
    } else {
      stored[key] = value;
    }
  }
  return stored;
}

ordered_json metadata_for_output(const std::optional<ordered_json>& stored,
                                 const std::string& owner_id,
                                 const std::optional<std::string>& parent_id) {
  ordered_json out = ordered_json::object();
  if (stored && stored->is_object()) {
    for (const auto& [key, value] : stored->items()) {
      if (key == "agent_ids" && value.is_array()) {
        std::string joined;
        for (const ordered_json& id : value) {
          if (!joined.empty()) joined += ",";
          joined += id.is_string() ? id.get<std::string>() : id.dump();
        }
        out[key] = joined;
      } else {
        out[key] = value;
      }
    }
  }
  out["owner_id"] = owner_id;
  if (parent_id) out["parent_id"] = *parent_id;
  return out;
}

}  // namespace nearhub::threads
