// The OpenAPI document generated from a small route table.

#include "openapi/document.h"

#include <set>

#include <gtest/gtest.h>

namespace nearhub::openapi {
namespace {

using nlohmann::json;

api::Route route(std::string method, std::string path, api::AuthPolicy auth) {
  api::Route r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.auth = auth;
  r.tag = "things";
  return r;
}

api::RouteTable sample_table() {
  api::RouteTable table;
  auto list = route("GET", "/v1/things", api::AuthPolicy::None);
  list.summary = "List things";
  list.params = {{"limit",
                  api::ParamLocation::Query,
                  {{"type", "integer"}, {"default", 10}},
                  false,
                  "At most this many"},
                 {"x_trace", api::ParamLocation::Header, {{"type", "string"}}, false}};
  list.response_schema = {{"type", "array"}, {"items", {{"type", "object"}}}};
  table.add(list);

  auto create = route("POST", "/v1/things", api::AuthPolicy::Required);
  create.summary = "Create a thing";
  create.description = "Longer words.";
  create.body_kind = api::BodyKind::Json;
  create.body_schema = {
      {"type", "object"}, {"properties", {{"name", {{"type", "string"}}}}}, {"required", {"name"}}};
  create.error_codes = {400, 409};
  table.add(create);

  // The path segment is not declared as a Param: the document declares it anyway.
  table.add(route("GET", "/v1/things/{thing_id}", api::AuthPolicy::Optional));

  auto upload = route("POST", "/v1/things/{thing_id}/files", api::AuthPolicy::SignatureOnly);
  upload.params = {{"thing_id", api::ParamLocation::Path}};
  upload.body_kind = api::BodyKind::Multipart;
  upload.body_schema = {{"type", "object"}, {"properties", {{"file", {{"type", "string"}}}}}};
  table.add(upload);

  auto events = route("GET", "/v1/things/{thing_id}/events", api::AuthPolicy::Required);
  events.response_content_type = "text/event-stream";
  table.add(events);

  // Two paths whose derived operation ids collide.
  table.add(route("GET", "/v1/a-b", api::AuthPolicy::None));
  table.add(route("GET", "/v1/a_b", api::AuthPolicy::None));
  return table;
}

class DocumentTest : public testing::Test {
 protected:
  json document = openapi_document(sample_table(), {.version = "1.2.3"});
  const json& op(const std::string& path, const std::string& method) {
    return document["paths"][path][method];
  }
};

TEST_F(DocumentTest, HeaderFields) {
  EXPECT_EQ(document["openapi"], "3.1.0");
  EXPECT_EQ(document["info"]["title"], "NEAR AI Hub API (nearhub)");
  EXPECT_EQ(document["info"]["version"], "1.2.3");
  EXPECT_EQ(document["servers"], json::parse(R"([{"url": "/"}])"));
  EXPECT_EQ(document["tags"][0]["name"], "things");
  const json& bearer = document["components"]["securitySchemes"]["bearer"];
  EXPECT_EQ(bearer["type"], "http");
  EXPECT_EQ(bearer["scheme"], "bearer");
  EXPECT_NE(bearer["description"].get<std::string>().find("NEP-413"), std::string::npos);
}

TEST_F(DocumentTest, OnePathItemPerTemplate) {
  std::set<std::string> paths;
  for (const auto& [path, item] : document["paths"].items()) paths.insert(path);
  EXPECT_EQ(paths, (std::set<std::string>{"/v1/things", "/v1/things/{thing_id}",
                                          "/v1/things/{thing_id}/files",
                                          "/v1/things/{thing_id}/events", "/v1/a-b", "/v1/a_b"}));
  EXPECT_TRUE(document["paths"]["/v1/things"].contains("get"));
  EXPECT_TRUE(document["paths"]["/v1/things"].contains("post"));
}

TEST_F(DocumentTest, OperationIdsAreUniqueAndDerivedFromMethodAndPath) {
  EXPECT_EQ(op("/v1/things", "get")["operationId"], "get_v1_things");
  EXPECT_EQ(op("/v1/things/{thing_id}", "get")["operationId"], "get_v1_things_thing_id");
  EXPECT_EQ(op("/v1/a-b", "get")["operationId"], "get_v1_a_b");
  EXPECT_EQ(op("/v1/a_b", "get")["operationId"], "get_v1_a_b_2");
}

TEST_F(DocumentTest, SummaryTagsAndDescription) {
  EXPECT_EQ(op("/v1/things", "post")["summary"], "Create a thing");
  EXPECT_EQ(op("/v1/things", "post")["description"], "Longer words.");
  EXPECT_EQ(op("/v1/things", "post")["tags"], json::array({"things"}));
  // Every operation needs a summary; a route without one is named by method and path.
  EXPECT_EQ(op("/v1/a-b", "get")["summary"], "GET /v1/a-b");
}

TEST_F(DocumentTest, Parameters) {
  EXPECT_EQ(op("/v1/things", "get")["parameters"], json::parse(R"([
    {"name": "limit", "in": "query", "required": false, "description": "At most this many",
     "schema": {"type": "integer", "default": 10}},
    {"name": "x-trace", "in": "header", "required": false, "schema": {"type": "string"}}])"));
  EXPECT_EQ(op("/v1/things/{thing_id}", "get")["parameters"], json::parse(R"([
    {"name": "thing_id", "in": "path", "required": true, "schema": {"type": "string"}}])"));
}

TEST_F(DocumentTest, RequestBodies) {
  const json& json_body = op("/v1/things", "post")["requestBody"];
  EXPECT_EQ(json_body["required"], true);
  EXPECT_EQ(json_body["content"]["application/json"]["schema"]["required"], json::array({"name"}));
  EXPECT_TRUE(op("/v1/things/{thing_id}/files", "post")["requestBody"]["content"].contains(
      "multipart/form-data"));
  EXPECT_FALSE(op("/v1/things", "get").contains("requestBody"));
}

TEST_F(DocumentTest, SuccessResponses) {
  EXPECT_EQ(
      op("/v1/things", "get")["responses"]["200"]["content"]["application/json"]["schema"]["type"],
      "array");
  EXPECT_TRUE(op("/v1/things/{thing_id}/events", "get")["responses"]["200"]["content"].contains(
      "text/event-stream"));
}

TEST_F(DocumentTest, ErrorResponses) {
  auto codes = [&](const std::string& path, const std::string& method) {
    std::set<std::string> out;
    for (const auto& [code, response] : op(path, method)["responses"].items()) out.insert(code);
    return out;
  };
  EXPECT_EQ(codes("/v1/things", "get"), (std::set<std::string>{"200", "422"}));
  EXPECT_EQ(codes("/v1/things", "post"),
            (std::set<std::string>{"200", "400", "401", "403", "409", "422"}));
  EXPECT_EQ(codes("/v1/a-b", "get"), (std::set<std::string>{"200"}));

  const json& responses = op("/v1/things", "post")["responses"];
  EXPECT_EQ(responses["409"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/HTTPError");
  EXPECT_EQ(responses["422"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ValidationError");
  // Declared 400 and the token's 400 share the status.
  EXPECT_EQ(responses["400"]["content"]["application/json"]["schema"]["oneOf"].size(), 2u);
  EXPECT_EQ(op("/v1/things/{thing_id}",
               "get")["responses"]["400"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/TokenError");

  const json& schemas = document["components"]["schemas"];
  EXPECT_EQ(schemas["HTTPError"]["required"], json::array({"detail"}));
  EXPECT_EQ(schemas["ValidationError"]["properties"]["status_code"]["const"], 422);
}

TEST_F(DocumentTest, Security) {
  const json bearer = json::parse(R"([{"bearer": []}])");
  EXPECT_EQ(op("/v1/things", "get")["security"], json::array());
  EXPECT_EQ(op("/v1/things", "post")["security"], bearer);
  EXPECT_EQ(op("/v1/things/{thing_id}/files", "post")["security"], bearer);
  EXPECT_EQ(op("/v1/things/{thing_id}", "get")["security"], json::parse(R"([{}, {"bearer": []}])"));
}

TEST(Document, ListsOnlyTheErrorSchemasItUses) {
  api::RouteTable table;
  api::Route health;
  health.method = "GET";
  health.path = "/health";
  health.auth = api::AuthPolicy::None;
  table.add(health);
  const json document = openapi_document(table, {.version = "1"});
  EXPECT_TRUE(document["components"]["schemas"].empty());
  EXPECT_TRUE(document["tags"].empty());
}

TEST(Document, LicenseIsAnSpdxIdentifier) {
  const json document =
      openapi_document(api::RouteTable(), {.version = "1", .license_identifier = "MIT"});
  EXPECT_EQ(document["info"]["license"], json::parse(R"({"name": "MIT", "identifier": "MIT"})"));
  EXPECT_FALSE(openapi_document(api::RouteTable(), {.version = "1"})["info"].contains("license"));
}

TEST(Document, TagDescriptionsComeFromTheCaller) {
  api::RouteTable table;
  api::Route r;
  r.method = "GET";
  r.path = "/x";
  r.tag = "registry";
  table.add(r);
  const json document =
      openapi_document(table, {.version = "1", .tag_descriptions = {{"registry", "Entries."}}});
  EXPECT_EQ(document["tags"], json::parse(R"([{"name": "registry", "description": "Entries."}])"));
}

}  // namespace
}  // namespace nearhub::openapi
