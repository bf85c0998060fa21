// The docs routes: the document, the two pages, and the embedded assets.

#include "openapi/docs_routes.h"

#include <gtest/gtest.h>

#include "api/error.h"
#include "openapi/assets.h"

namespace nearhub::openapi {
namespace {

using nlohmann::json;

class DocsRoutesTest : public testing::Test {
 protected:
  DocsRoutesTest() {
    add_docs_routes(table, [] { return std::string(R"({"openapi": "3.1.0"})"); });
  }

  const api::Route& find(const std::string& path) {
    for (const auto& route : table.routes()) {
      if (route.path == path) return route;
    }
    throw std::runtime_error("no route " + path);
  }

  http::Response get(const std::string& path, json params = json::object()) {
    http::Request request;
    api::Call call{request, std::nullopt, std::move(params), nullptr};
    return find(path).handler(call);
  }

  api::RouteTable table;
};

TEST_F(DocsRoutesTest, AllArePublicGetRoutesTaggedDocs) {
  ASSERT_EQ(table.routes().size(), 4u);
  for (const auto& route : table.routes()) {
    EXPECT_EQ(route.method, "GET");
    EXPECT_EQ(route.auth, api::AuthPolicy::None);
    EXPECT_EQ(route.tag, "docs");
    EXPECT_FALSE(route.summary.empty());
  }
}

TEST_F(DocsRoutesTest, ServesTheCallersDocument) {
  const http::Response response = get("/openapi.json");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("content-type"), "application/json");
  EXPECT_EQ(response.body, R"({"openapi": "3.1.0"})");
}

TEST_F(DocsRoutesTest, ReferencePageLoadsRedocFromThisServer) {
  const http::Response response = get("/docs/hub/reference");
  EXPECT_EQ(response.headers.get("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(response.body.find("spec-url=\"/openapi.json\""), std::string::npos);
  EXPECT_NE(response.body.find(asset_url("redoc.standalone.js")), std::string::npos);
}

TEST_F(DocsRoutesTest, InteractivePageConfiguresSwaggerUi) {
  const std::string page = get("/docs/hub/interactive").body;
  EXPECT_NE(page.find(asset_url("swagger-ui-bundle.js")), std::string::npos);
  EXPECT_NE(page.find(asset_url("swagger-ui.css")), std::string::npos);
  EXPECT_NE(page.find("url: '/openapi.json'"), std::string::npos);
  EXPECT_NE(page.find("persistAuthorization: true"), std::string::npos);
  EXPECT_NE(page.find("validatorUrl: null"), std::string::npos);
}

TEST_F(DocsRoutesTest, PagesReferenceNothingOutsideTheServer) {
  for (const char* path : {"/docs/hub/reference", "/docs/hub/interactive"}) {
    const std::string page = get(path).body;
    EXPECT_EQ(page.find("http:"), std::string::npos) << path;
    EXPECT_EQ(page.find("https:"), std::string::npos) << path;
    EXPECT_EQ(page.find("//"), std::string::npos) << path;
  }
}

TEST_F(DocsRoutesTest, PagesForbidTheBrowserToLoadFromElsewhere) {
  for (const char* path : {"/docs/hub/reference", "/docs/hub/interactive"}) {
    const http::Response response = get(path);
    const auto policy = response.headers.get("content-security-policy");
    ASSERT_TRUE(policy.has_value()) << path;
    EXPECT_NE(policy->find("default-src 'self'"), std::string::npos);
    EXPECT_NE(policy->find("img-src 'self' data:"), std::string::npos);
  }
}

TEST_F(DocsRoutesTest, AssetsHaveTypesAndLongCaching) {
  const std::pair<const char*, const char*> expected[] = {
      {"redoc.standalone.js", "text/javascript; charset=utf-8"},
      {"swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
      {"swagger-ui.css", "text/css; charset=utf-8"},
      {"favicon-32x32.png", "image/png"}};
  for (const auto& [name, type] : expected) {
    const http::Response response = get("/docs/hub/assets/{name}", {{"name", name}});
    EXPECT_EQ(response.status, 200) << name;
    EXPECT_EQ(response.headers.get("content-type"), type) << name;
    EXPECT_EQ(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(response.body, find_asset(name)->data) << name;
  }
  EXPECT_GT(find_asset("redoc.standalone.js")->data.size(), 100000u);
  EXPECT_EQ(find_asset("favicon-32x32.png")->data.substr(1, 3), "PNG");
}

TEST_F(DocsRoutesTest, UnknownAssetIsNotFound) {
  try {
    get("/docs/hub/assets/{name}", {{"name", "secret.txt"}});
    FAIL() << "no error";
  } catch (const api::Error& error) {
    EXPECT_EQ(error.status(), 404);
    EXPECT_EQ(error.message(), "Not Found");
  }
}

TEST(Assets, UrlsCarryAContentHash) {
  const std::string url = asset_url("swagger-ui.css");
  EXPECT_EQ(url.rfind("/docs/hub/assets/swagger-ui.css?v=", 0), 0u);
  EXPECT_EQ(url.size(), std::string("/docs/hub/assets/swagger-ui.css?v=").size() + 12);
  EXPECT_EQ(find_asset("nope"), nullptr);
}

}  // namespace
}  // namespace nearhub::openapi
