#include "openapi/document.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "http/status.h"

namespace nearhub::openapi {
namespace {

using nlohmann::json;

constexpr const char* kBearerDescription =
    "`Authorization: Bearer <token>`, where the token is the JSON of a NEP-413 signed message:\n"
    "\n"
    "```json\n"
    "{\"account_id\": \"alice.near\", \"public_key\": \"ed25519:<base58>\",\n"
    " \"signature\": \"<base64 of the ed25519 signature>\", \"message\": \"Welcome to NEAR AI "
    "Hub!\",\n"
    " \"nonce\": \"<millisecond timestamp, at most 32 digits>\", \"recipient\": \"ai.near\",\n"
    " \"callback_url\": \"https://example.org/callback\"}\n"
    "```\n"
    "\n"
    "`on_behalf_of` (act for a delegating account) and `runner_data` are optional. The same JSON, "
    "URL-encoded, is also accepted in the `auth` cookie. A token that cannot be parsed is a 400; "
    "a bad signature, an unowned key or a revoked nonce is a 401.";

// The component schemas some response refers to: the document lists only those.
using UsedSchemas = std::set<std::string>;

json ref(const std::string& schema_name, UsedSchemas& used) {
  used.insert(schema_name);
  return {{"$ref", "#/components/schemas/" + schema_name}};
}

json json_content(const json& schema) { return {{"application/json", {{"schema", schema}}}}; }

// The error bodies of spec/platform.md §1.3.
json error_schemas() {
  const json status_body = {{"type", "object"},
                            {"properties",
                             {{"status_code", {{"type", "integer"}}},
                              {"message", {{"type", "string"}}},
                              {"data", {{"type", "null"}}}}},
                            {"required", {"status_code", "message", "data"}}};
  json validation = status_body;
  validation["description"] =
      "A request parameter or body field is missing or invalid. `message` is the list of "
      "failures, written as pydantic's Python repr, e.g. `[{'type': 'missing', 'loc': ('body', "
      "'nonce'), 'msg': 'Field required', 'input': {}}]`.";
  validation["properties"]["status_code"]["const"] = 422;
  json token = status_body;
  token["description"] =
      "The bearer token could not be parsed (bad JSON, a missing field, a "
      "broken nonce rule).";
  token["properties"]["status_code"]["const"] = 400;
  return {{"HTTPError",
           {{"type", "object"},
            {"description", "An error answered by the server or a handler."},
            {"properties", {{"detail", {{"type", "string"}}}}},
            {"required", {"detail"}}}},
          {"ValidationError", validation},
          {"TokenError", token}};
}

bool is_authenticated(api::AuthPolicy auth) { return auth != api::AuthPolicy::None; }

// FastAPI-like ids: get_v1_threads_thread_id. Unique, and safe in a URL.
std::string base_operation_id(const api::Route& route) {
  std::string id;
  for (const char c : route.method + "_" + route.path) {
    const bool word = std::isalnum(static_cast<unsigned char>(c));
    if (word) {
      id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!id.empty() && id.back() != '_') {
      id += '_';
    }
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  return id;
}

const char* location_name(api::ParamLocation in) {
  switch (in) {
    case api::ParamLocation::Path:
      return "path";
    case api::ParamLocation::Header:
      return "header";
    case api::ParamLocation::Query:
      break;
  }
  return "query";
}

// Path template segments such as {thread_id}.
std::vector<std::string> template_parameters(const std::string& path) {
  std::vector<std::string> names;
  for (std::size_t open = path.find('{'); open != std::string::npos;
       open = path.find('{', open + 1)) {
    const std::size_t close = path.find('}', open);
    if (close == std::string::npos) break;
    names.push_back(path.substr(open + 1, close - open - 1));
  }
  return names;
}

json parameters(const api::Route& route) {
  json list = json::array();
  std::set<std::string> declared_path;
  for (const auto& param : route.params) {
    std::string name = param.name;
    if (param.in == api::ParamLocation::Header) {
      // The validator accepts foo_bar as foo-bar, which is how a header is spelled on the wire.
      std::replace(name.begin(), name.end(), '_', '-');
    }
    if (param.in == api::ParamLocation::Path) declared_path.insert(name);
    json entry = {{"name", name},
                  {"in", location_name(param.in)},
                  {"required", param.required || param.in == api::ParamLocation::Path},
                  {"schema", param.schema}};
    if (!param.description.empty()) entry["description"] = param.description;
    list.push_back(std::move(entry));
  }
  // A route that leaves a path segment undeclared still receives it as a string.
  for (const auto& name : template_parameters(route.path)) {
    if (!declared_path.count(name)) {
      list.push_back(
          {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
  }
  return list;
}

json request_body(const api::Route& route) {
  static const std::map<api::BodyKind, std::string> media_types = {
      {api::BodyKind::Json, "application/json"},
      {api::BodyKind::Form, "application/x-www-form-urlencoded"},
      {api::BodyKind::Multipart, "multipart/form-data"}};
  const json schema = route.body_schema.is_null() ? json::object() : route.body_schema;
  return {{"required", route.body_required},
          {"content", {{media_types.at(route.body_kind), {{"schema", schema}}}}}};
}

json success_content(const api::Route& route) {
  json schema = route.response_schema;
  if (schema.is_null()) {
    const bool is_json = route.response_content_type.find("json") != std::string::npos;
    schema = is_json ? json::object() : json{{"type", "string"}};
  }
  return {{route.response_content_type, {{"schema", schema}}}};
}

json responses(const api::Route& route, UsedSchemas& used) {
  json out = {
      {"200", {{"description", "Successful Response"}, {"content", success_content(route)}}}};
  if (route.response_content_type == "text/event-stream") {
    out["200"]["description"] = "A stream of Server-Sent Events";
  }
  std::set<int> codes(route.error_codes.begin(), route.error_codes.end());
  const bool authenticated = is_authenticated(route.auth);
  if (authenticated) codes.insert({400, 401, 403});
  const bool has_inputs = !route.params.empty() || route.body_kind != api::BodyKind::None ||
                          !template_parameters(route.path).empty();
  if (has_inputs) codes.insert(422);
  const std::set<int> declared(route.error_codes.begin(), route.error_codes.end());
  for (const int code : codes) {
    json response = {{"description", std::string(http::reason_phrase(code))}};
    if (code == 422) {
      response["content"] = json_content(ref("ValidationError", used));
    } else if (code == 400 && authenticated) {
      const bool also_http = declared.count(400) > 0;
      response["description"] = also_http ? "Bad Request, or a bearer token that cannot be parsed"
                                          : "The bearer token cannot be parsed";
      response["content"] = json_content(
          also_http ? json{{"oneOf", {ref("HTTPError", used), ref("TokenError", used)}}}
                    : ref("TokenError", used));
    } else {
      response["content"] = json_content(ref("HTTPError", used));
    }
    out[std::to_string(code)] = std::move(response);
  }
  return out;
}

json security(api::AuthPolicy auth) {
  // An explicit empty list marks a public operation (there is no document-wide default).
  if (auth == api::AuthPolicy::None) return json::array();
  const json bearer = {{"bearer", json::array()}};
  if (auth == api::AuthPolicy::Optional) return {json::object(), bearer};
  return {bearer};
}

json operation(const api::Route& route, const std::string& operation_id, UsedSchemas& used) {
  json op = {{"operationId", operation_id},
             {"summary", route.summary.empty() ? route.method + " " + route.path : route.summary}};
  if (!route.description.empty()) op["description"] = route.description;
  if (!route.tag.empty()) op["tags"] = {route.tag};
  json params = parameters(route);
  if (!params.empty()) op["parameters"] = std::move(params);
  if (route.body_kind != api::BodyKind::None) op["requestBody"] = request_body(route);
  op["responses"] = responses(route, used);
  op["security"] = security(route.auth);
  return op;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

json openapi_document(const api::RouteTable& table, const DocumentInfo& info) {
  json paths = json::object();
  std::set<std::string> operation_ids;
  std::set<std::string> tags;
  UsedSchemas used;
  for (const auto& route : table.routes()) {
    std::string id = base_operation_id(route);
    for (int n = 2; operation_ids.count(id); ++n)
      id = base_operation_id(route) + "_" + std::to_string(n);
    operation_ids.insert(id);
    if (!route.tag.empty()) tags.insert(route.tag);
    paths[route.path][lower(route.method)] = operation(route, id, used);
  }

  json schemas = json::object();
  const json all_schemas = error_schemas();
  for (const auto& [name, schema] : all_schemas.items()) {
    if (used.count(name)) schemas[name] = schema;
  }

  json tag_list = json::array();
  for (const auto& tag : tags) {
    const auto found = info.tag_descriptions.find(tag);
    tag_list.push_back({{"name", tag},
                        {"description", found != info.tag_descriptions.end()
                                            ? found->second
                                            : "Endpoints of the " + tag + " area."}});
  }

  json document_info = {{"title", info.title}, {"version", info.version}};
  if (!info.description.empty()) document_info["description"] = info.description;
  if (!info.license_identifier.empty()) {
    document_info["license"] = {{"name", info.license_identifier},
                                {"identifier", info.license_identifier}};
  }
  return {{"openapi", "3.1.0"},
          {"info", document_info},
          // Relative, so the docs pages call whichever host served them.
          {"servers", {{{"url", "/"}}}},
          {"tags", tag_list},
          {"paths", paths},
          {"components",
           {{"schemas", schemas},
            {"securitySchemes",
             {{"bearer",
               {{"type", "http"},
                {"scheme", "bearer"},
                {"bearerFormat", "NEP-413 signed message (JSON)"},
                {"description", kBearerDescription}}}}}}}};
}

}  // namespace nearhub::openapi
