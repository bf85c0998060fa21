#include "agents/find_agents_routes.h"

#include "util/time.h"

namespace nearhub::agents {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// A registry_entry row as the original returns it from a raw query: its columns, with the
// creation time as a naive ISO 8601 string (UTC here).
ordered_json raw_entry_json(const registry::Entry& entry) {
  return {{"id", entry.id},
          {"namespace", entry.location.namespace_},
          {"name", entry.location.name},
          {"version", entry.location.version},
          {"time", util::format_iso8601(entry.created_at)},
          {"description", entry.description},
          {"category", entry.category},
          {"details", entry.details},
          {"show_entry", entry.show_entry}};
}

json body_schema() {
  const json count = {{"type", json::array({"integer", "null"})}, {"minimum", 0}};
  json limit = count;
  limit["default"] = 100;
  limit["description"] = "At most this many agents; null: all of them.";
  json offset = count;
  offset["default"] = 0;
  offset["description"] = "Matching agents to skip first; null: 0.";
  return {{"type", "object"},
          {"properties",
           {{"owner_id",
             {{"type", json::array({"string", "null"})},
              {"description", "Only this namespace; null: every namespace. The key is required."}}},
            {"with_capabilities",
             {{"type", "boolean"},
              {"default", false},
              {"description", "Only agents whose details.capabilities is set and not null."}}},
            {"latest_versions_only",
             {{"type", "boolean"},
              {"default", true},
              {"description", "Only the newest agent version (highest id) of each name."}}},
            {"limit", limit},
            {"offset", offset}}},
          {"required", {"owner_id"}}};
}

json response_schema() {
  const json string = {{"type", "string"}};
  return {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"id", {{"type", "integer"}}},
              {"namespace", string},
              {"name", string},
              {"version", string},
              {"time", {{"type", "string"}, {"format", "date-time"}}},
              {"description", string},
              {"category", string},
              {"details", {{"type", "object"}}},
              {"show_entry", {{"type", "boolean"}}}}},
            {"required",
             {"id", "namespace", "name", "version", "time", "description", "category", "details",
              "show_entry"}}}}};
}

}  // namespace

void add_find_agents_routes(api::RouteTable& table, registry::RegistryService& registry) {
  table.add({
      .method = "POST",
      .path = "/v1/find_agents",
      .auth = api::AuthPolicy::Required,
      .tag = "agents",
      .summary = "Find agents in the registry",
      .description =
          "Registry entries of category `agent`, oldest first (by id), hidden ones included. "
          "Private agents are found only by their namespace's account and admins. "
          "`details.encryption_key` always reads `<secret>`. `time` is the creation time, "
          "ISO 8601 in UTC without an offset.",
      .body_kind = api::BodyKind::Json,
      .body_schema = body_schema(),
      .response_schema = response_schema(),
      .handler =
          [&registry](api::Call& call) {
            const json& body = call.body;
            registry::FindAgentsQuery query;
            if (!body.at("owner_id").is_null()) {
              query.owner_id = body.at("owner_id").get<std::string>();
            }
            query.with_capabilities = body.at("with_capabilities").get<bool>();
            query.latest_versions_only = body.at("latest_versions_only").get<bool>();
            query.limit = body.at("limit").is_null()
                              ? std::nullopt
                              : std::optional(body.at("limit").get<std::int64_t>());
            if (!body.at("offset").is_null()) query.offset = body.at("offset").get<std::int64_t>();
            ordered_json list = ordered_json::array();
            for (const registry::Entry& entry : registry.find_agents(call.caller(), query)) {
              list.push_back(raw_entry_json(entry));
            }
            return api::json(list);
          },
  });
}

}  // namespace nearhub::agents
