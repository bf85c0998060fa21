// A stream_upload route is documented like any multipart route: its file fields appear as
// binary strings of a multipart/form-data body.

#include <gtest/gtest.h>

#include "openapi/document.h"

namespace nearhub::openapi {
namespace {

TEST(StreamUploadDocument, IsMultipartFormDataWithBinaryFileField) {
  api::RouteTable table;
  api::Route upload;
  upload.method = "POST";
  upload.path = "/v1/upload";
  upload.auth = api::AuthPolicy::None;
  upload.body_kind = api::BodyKind::Multipart;
  upload.stream_upload = true;
  upload.body_schema = {
      {"type", "object"},
      {"properties",
       {{"path", {{"type", "string"}}}, {"file", {{"type", "string"}, {"format", "binary"}}}}},
      {"required", {"path", "file"}}};
  table.add(upload);

  const nlohmann::json document = openapi_document(table, {"1.0"});
  const nlohmann::json& content = document["paths"]["/v1/upload"]["post"]["requestBody"]["content"];
  ASSERT_TRUE(content.contains("multipart/form-data")) << content.dump();
  const nlohmann::json& schema = content["multipart/form-data"]["schema"];
  EXPECT_EQ(schema["properties"]["file"]["format"], "binary");
  EXPECT_EQ(schema["required"], nlohmann::json({"path", "file"}));
}

}  // namespace
}  // namespace nearhub::openapi
