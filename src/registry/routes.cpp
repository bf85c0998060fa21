#include "registry/routes.h"

#include "api/error.h"
#include "util/time.h"

namespace nearhub::registry {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

const json kString = {{"type", "string"}};

json entry_location_schema() {
  return {{"type", "object"},
          {"description", "Each part must match ^[a-zA-Z0-9_\\-.]+$ (else 400)."},
          {"properties", {{"namespace", kString}, {"name", kString}, {"version", kString}}},
          {"required", {"namespace", "name", "version"}}};
}

json entry_metadata_schema(bool with_location) {
  json schema = {{"type", "object"},
                 {"properties",
                  {{"category", kString},
                   {"description", kString},
                   {"tags", {{"type", "array"}, {"items", kString}}},
                   {"details", {{"type", "object"}}},
                   {"show_entry", {{"type", "boolean"}}}}},
                 {"required", {"category", "description", "tags", "details", "show_entry"}}};
  if (with_location) {
    schema["properties"]["name"] = kString;
    schema["properties"]["version"] = kString;
    schema["required"].push_back("name");
    schema["required"].push_back("version");
  }
  return schema;
}

// {"entry_location": {...}} plus `extra` properties, all required.
json wrapped_location_body(json extra_properties = json::object()) {
  json schema = {{"type", "object"},
                 {"properties", {{"entry_location", entry_location_schema()}}},
                 {"required", {"entry_location"}}};
  for (auto& [name, property] : extra_properties.items()) {
    schema["properties"][name] = property;
    schema["required"].push_back(name);
  }
  return schema;
}

EntryLocation location_of(const json& object) {
  return {object.at("namespace").get<std::string>(), object.at("name").get<std::string>(),
          object.at("version").get<std::string>()};
}

ordered_json metadata_json(const EntryMetadata& metadata) {
  const Entry& entry = metadata.entry;
  return {{"category", entry.category},
          {"description", entry.description},
          {"tags", metadata.tags},
          {"details", entry.details},
          {"show_entry", entry.show_entry},
          {"name", entry.location.name},
          {"version", entry.location.version}};
}

ordered_json entry_information(const ListedEntry& listed) {
  const Entry& entry = listed.entry;
  ordered_json fork_of = nullptr;
  if (listed.fork_of) {
    fork_of = {{"namespace", listed.fork_of->namespace_}, {"name", listed.fork_of->name}};
  }
  return {{"id", entry.id},
          {"namespace", entry.location.namespace_},
          {"name", entry.location.name},
          {"version", entry.location.version},
          // The original labels its naive time UTC (spec §6.7 [QUIRK]); ours is UTC.
          {"updated", util::format_iso8601(entry.created_at) + "Z"},
          {"category", entry.category},
          {"description", entry.description},
          {"details", entry.details},
          {"tags", listed.tags},
          {"num_forks", listed.num_forks},
          {"num_stars", listed.num_stars},
          {"starred_by_point_of_view", listed.starred_by_point_of_view},
          {"fork_of", fork_of}};
}

json entry_information_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"namespace", kString},
            {"name", kString},
            {"version", kString},
            {"updated", {{"type", "string"}, {"format", "date-time"}}},
            {"category", kString},
            {"description", kString},
            {"details", {{"type", "object"}}},
            {"tags", {{"type", "array"}, {"items", kString}}},
            {"num_forks", {{"type", "integer"}}},
            {"num_stars", {{"type", "integer"}}},
            {"starred_by_point_of_view", {{"type", "boolean"}}},
            {"fork_of",
             {{"anyOf",
               {{{"type", "object"},
                 {"properties", {{"namespace", kString}, {"name", kString}}},
                 {"required", {"namespace", "name"}}},
                {{"type", "null"}}}}}}}},
          {"required",
           {"id", "namespace", "name", "version", "updated", "category", "description", "details",
            "tags", "num_forks", "num_stars", "starred_by_point_of_view", "fork_of"}}};
}

api::Param query_string(std::string name, std::string description) {
  return {.name = std::move(name),
          .in = api::ParamLocation::Query,
          .schema = {{"type", "string"}, {"default", ""}},
          .required = false,
          .description = std::move(description)};
}

api::Param query_value(std::string name, json schema, std::string description) {
  return {.name = std::move(name),
          .in = api::ParamLocation::Query,
          .schema = std::move(schema),
          .required = false,
          .description = std::move(description)};
}

void add_file_routes(api::RouteTable& table, RegistryService& service) {
  const std::uint64_t max_file_bytes = service.options().max_file_bytes;
  table.add({
      .method = "POST",
      .path = "/v1/registry/upload_file",
      .auth = api::AuthPolicy::Required,
      .tag = "registry",
      .summary = "Upload one file of an entry",
      .description =
          "The entry must exist (upload its metadata first); `version` may be `latest`. A path "
          "is write-once: a second upload of it is a 400 whose detail contains `already "
          "exists`. Paths are relative (no `..`, leading `/`, backslash or NUL). Only the "
          "namespace's account (or an admin, for `near.ai`) may upload. Files above "
          "`registry.max_file_bytes` get 413.",
      .body_kind = api::BodyKind::Multipart,
      .body_schema = {{"type", "object"},
                      {"properties",
                       {{"namespace", kString},
                        {"name", kString},
                        {"version", kString},
                        {"path", kString},
                        {"file", {{"type", "string"}, {"format", "binary"}}}}},
                      {"required", {"namespace", "name", "version", "path", "file"}}},
      .response_schema = {{"type", "object"},
                          {"properties", {{"status", kString}, {"path", kString}}},
                          {"required", {"status", "path"}}},
      .error_codes = {400, 403, 404, 413},
      // The file plus the multipart framing and the text fields.
      .max_body_bytes = static_cast<std::size_t>(max_file_bytes + 64 * 1024),
      .stream_upload = true,
      .handler =
          [&service](api::Call& call) {
            const EntryLocation location = location_of(call.body);
            const api::Upload& upload = call.uploads.at("file");
            std::unique_ptr<util::ByteSource> content = upload.open();
            const std::string key = service.upload_file(
                call.caller(), location, call.body.at("path").get<std::string>(), *content);
            return api::json({{"status", "File uploaded"}, {"path", key}});
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/registry/download_file",
      .auth = api::AuthPolicy::Optional,
      .tag = "registry",
      .summary = "Download one file of an entry",
      .description = "Streams the raw bytes (no Content-Type). Private entries need their "
                     "owner or an admin.",
      .body_kind = api::BodyKind::Json,
      .body_schema = wrapped_location_body({{"path", kString}}),
      .response_schema = {{"type", "string"}, {"format", "binary"}},
      .response_content_type = "application/octet-stream",
      .error_codes = {400, 403, 404},
      .handler =
          [&service](api::Call& call) {
            http::Response response;
            response.body_source =
                service.download_file(call.identity, location_of(call.body.at("entry_location")),
                                      call.body.at("path").get<std::string>());
            return response;
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/registry/list_files",
      .auth = api::AuthPolicy::Optional,
      .tag = "registry",
      .summary = "List the files of an entry",
      .description = "Every file, in key order, relative to the entry.",
      .body_kind = api::BodyKind::Json,
      .body_schema = wrapped_location_body(),
      .response_schema = {{"type", "array"},
                          {"items",
                           {{"type", "object"},
                            {"properties", {{"filename", kString}}},
                            {"required", {"filename"}}}}},
      .error_codes = {400, 403, 404},
      .handler =
          [&service](api::Call& call) {
            ordered_json files = ordered_json::array();
            for (const std::string& file :
                 service.list_files(call.identity, location_of(call.body.at("entry_location")))) {
              files.push_back({{"filename", file}});
            }
            return api::json(files);
          },
  });
}

void add_metadata_routes(api::RouteTable& table, RegistryService& service) {
  table.add({
      .method = "POST",
      .path = "/v1/registry/upload_metadata",
      .auth = api::AuthPolicy::Required,
      .tag = "registry",
      .summary = "Create an entry or replace its metadata",
      .description =
          "Creates the entry at exactly this location (`latest` is a literal version here) or "
          "replaces its category, description, details, show_entry and tags. Strings are "
          "sanitized (NFC, CRLF→LF, straight quotes, no control characters, stripped); tags "
          "are lower-cased and de-duplicated.",
      .body_kind = api::BodyKind::Json,
      .body_schema = wrapped_location_body({{"metadata", entry_metadata_schema(false)}}),
      .response_schema = {{"type", "object"},
                          {"properties",
                           {{"status", kString},
                            {"namespace", kString},
                            {"metadata", entry_metadata_schema(true)}}},
                          {"required", {"status", "namespace", "metadata"}}},
      .error_codes = {400, 403},
      .handler =
          [&service](api::Call& call) {
            ordered_json metadata = call.body.at("metadata");
            // The validated body has coerced scalars but sorted keys; `details` keeps the
            // client's key order, as the original stores it.
            const ordered_json ordered = ordered_json::parse(call.request.body, nullptr, false);
            if (ordered.is_object() && ordered.contains("metadata") &&
                ordered["metadata"].is_object() && ordered["metadata"].contains("details")) {
              metadata["details"] = ordered["metadata"]["details"];
            }
            const EntryLocation location = location_of(call.body.at("entry_location"));
            const EntryMetadata stored =
                service.upload_metadata(call.caller(), location, std::move(metadata));
            return api::json({{"status", "Updated metadata"},
                              {"namespace", stored.entry.location.namespace_},
                              {"metadata", metadata_json(stored)}});
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/registry/download_metadata",
      .auth = api::AuthPolicy::Optional,
      .tag = "registry",
      .summary = "Read an entry's metadata",
      .description = "`version` may be `latest` (the newest version created); the answer names "
                     "the real version. `details.encryption_key` reads `<secret>` unless you "
                     "own the entry or call from a trusted runner.",
      .body_kind = api::BodyKind::Json,
      .body_schema = wrapped_location_body(),
      .response_schema = entry_metadata_schema(true),
      .error_codes = {400, 403, 404},
      .handler =
          [&service](api::Call& call) {
            return api::json(metadata_json(service.download_metadata(
                call.identity, location_of(call.body.at("entry_location")))));
          },
  });
}

void add_listing_routes(api::RouteTable& table, RegistryService& service) {
  table.add({
      .method = "POST",
      .path = "/v1/registry/list_entries",
      .auth = api::AuthPolicy::None,
      .tag = "registry",
      .summary = "List and filter entries",
      .description = "Newest first. Private entries are listed too, always with "
                     "`details.encryption_key` hidden.",
      .params = {query_string("namespace", "Exact namespace."),
                 query_string("category", "Exact category (letters, digits, `_`, `-`)."),
                 query_string("tags", "Comma-separated; entries must carry all of them."),
                 query_value("total", {{"type", "integer"}, {"default", 32}, {"minimum", 0}},
                             "Page size."),
                 query_value("offset", {{"type", "integer"}, {"default", 0}, {"minimum", 0}},
                             "Rows to skip."),
                 query_value("show_hidden", {{"type", "boolean"}, {"default", false}},
                             "Include entries uploaded with show_entry = false."),
                 query_value("show_latest_version", {{"type", "boolean"}, {"default", true}},
                             "Only the newest version of each (namespace, name)."),
                 query_string("starred_by", "Only entries this account starred."),
                 query_string("star_point_of_view",
                              "Account whose stars fill `starred_by_point_of_view`."),
                 query_string("fork_of_name", "With fork_of_namespace: only forks of that entry."),
                 query_string("fork_of_namespace", "With fork_of_name: only forks of that entry.")},
      .response_schema = {{"type", "array"}, {"items", entry_information_schema()}},
      .error_codes = {400},
      .handler =
          [&service](api::Call& call) {
            const json& p = call.params;
            ListEntriesParams params;
            params.namespace_ = p.at("namespace").get<std::string>();
            params.category = p.at("category").get<std::string>();
            params.tags = p.at("tags").get<std::string>();
            params.total = p.at("total").get<std::int64_t>();
            params.offset = p.at("offset").get<std::int64_t>();
            params.show_hidden = p.at("show_hidden").get<bool>();
            params.show_latest_version = p.at("show_latest_version").get<bool>();
            params.starred_by = p.at("starred_by").get<std::string>();
            params.star_point_of_view = p.at("star_point_of_view").get<std::string>();
            params.fork_of_name = p.at("fork_of_name").get<std::string>();
            params.fork_of_namespace = p.at("fork_of_namespace").get<std::string>();
            ordered_json list = ordered_json::array();
            for (const ListedEntry& listed : service.list_entries(params)) {
              list.push_back(entry_information(listed));
            }
            return api::json(list);
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/registry/fork",
      .auth = api::AuthPolicy::Required,
      .tag = "registry",
      .summary = "Copy an entry into your namespace",
      .description =
          "Copies a readable entry and its files to `<your account>/<name>/<version>`, keeping "
          "its category and details (without the X mention trigger) and recording the fork. "
          "Nothing is written if any check fails; 409 when you already have an entry of that "
          "category and name (or that name and version).",
      .body_kind = api::BodyKind::Json,
      .body_schema = wrapped_location_body(
          {{"modifications",
            {{"type", "object"},
             {"properties", {{"name", kString}, {"description", kString}, {"version", kString}}},
             {"required", {"name", "description", "version"}}}}}),
      .response_schema = {{"type", "object"},
                          {"properties", {{"status", kString}, {"entry", entry_location_schema()}}},
                          {"required", {"status", "entry"}}},
      .error_codes = {400, 403, 404, 409},
      .handler =
          [&service](api::Call& call) {
            const json& modifications = call.body.at("modifications");
            const EntryLocation forked =
                service.fork(call.caller(), location_of(call.body.at("entry_location")),
                             {modifications.at("name").get<std::string>(),
                              modifications.at("description").get<std::string>(),
                              modifications.at("version").get<std::string>()});
            return api::json({{"status", "Entry forked and uploaded"},
                              {"entry",
                               {{"namespace", forked.namespace_},
                                {"name", forked.name},
                                {"version", forked.version}}}});
          },
  });
}

void add_star_routes(api::RouteTable& table, RegistryService& service) {
  const json form = {{"type", "object"},
                     {"properties", {{"namespace", kString}, {"name", kString}}},
                     {"required", {"namespace", "name"}}};
  table.add({
      .method = "POST",
      .path = "/v1/stars/add_star",
      .auth = api::AuthPolicy::Required,
      .tag = "stars",
      .summary = "Star an entry name",
      .description = "Stars count per (namespace, name), across versions; the entry need not "
                     "exist. 400 `Already starred` on a repeat.",
      .body_kind = api::BodyKind::Form,
      .body_schema = form,
      .response_schema = {{"type", "null"}},
      .error_codes = {400},
      .handler =
          [&service](api::Call& call) {
            service.add_star(call.caller(), call.body.at("namespace").get<std::string>(),
                             call.body.at("name").get<std::string>());
            return api::json(nullptr);
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/stars/remove_star",
      .auth = api::AuthPolicy::Required,
      .tag = "stars",
      .summary = "Remove your star",
      .description = "400 `Not starred` when you had not starred it.",
      .body_kind = api::BodyKind::Form,
      .body_schema = form,
      .response_schema = {{"type", "null"}},
      .error_codes = {400},
      .handler =
          [&service](api::Call& call) {
            service.remove_star(call.caller(), call.body.at("namespace").get<std::string>(),
                                call.body.at("name").get<std::string>());
            return api::json(nullptr);
          },
  });
}

}  // namespace

void add_registry_routes(api::RouteTable& table, RegistryService& service) {
  add_file_routes(table, service);
  add_metadata_routes(table, service);
  add_listing_routes(table, service);
  add_star_routes(table, service);
}

}  // namespace nearhub::registry
