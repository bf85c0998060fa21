#include "openapi/docs_routes.h"

#include "api/error.h"
#include "openapi/assets.h"
#include "openapi/docs_pages.h"

namespace nearhub::openapi {
namespace {

api::Route docs_route(std::string path, std::string summary, std::string content_type,
                      api::Handler handler) {
  api::Route route;
  route.method = "GET";
  route.path = std::move(path);
  route.auth = api::AuthPolicy::None;
  route.tag = "docs";
  route.summary = std::move(summary);
  route.response_content_type = std::move(content_type);
  route.handler = std::move(handler);
  return route;
}

http::Response html(const std::string& page) {
  http::Response response = http::Response::make(200, "text/html; charset=utf-8", page);
  response.headers.set("Content-Security-Policy", kDocsContentSecurityPolicy);
  return response;
}

http::Response serve_asset(api::Call& call) {
  const Asset* asset = find_asset(call.params["name"].get<std::string>());
  if (!asset) throw api::Error::http(404, "Not Found");
  http::Response response =
      http::Response::make(200, std::string(asset->content_type), std::string(asset->data));
  // Safe to keep for a year: page URLs carry the asset's hash (assets.h).
  response.headers.set("Cache-Control", "public, max-age=31536000, immutable");
  return response;
}

}  // namespace

void add_docs_routes(api::RouteTable& table, std::function<std::string()> document_json) {
  auto openapi = docs_route(
      "/openapi.json", "The OpenAPI 3.1 document of this API", "application/json",
      [document_json](api::Call&) { return http::Response::json_text(200, document_json()); });
  openapi.response_schema = {{"type", "object"}};
  table.add(std::move(openapi));

  // Built once: the pages depend only on the embedded assets.
  table.add(docs_route("/docs/hub/reference", "API reference (Redoc)", "text/html",
                       [page = reference_page()](api::Call&) { return html(page); }));
  table.add(docs_route("/docs/hub/interactive", "Interactive API (Swagger UI)", "text/html",
                       [page = interactive_page()](api::Call&) { return html(page); }));

  auto assets = docs_route("/docs/hub/assets/{name}", "A file of the docs pages",
                           "application/octet-stream", serve_asset);
  assets.description = "The Redoc and Swagger UI bundles, built into the server.";
  assets.params = {{"name",
                    api::ParamLocation::Path,
                    {{"type", "string"}},
                    true,
                    "redoc.standalone.js, swagger-ui-bundle.js, swagger-ui.css or "
                    "favicon-32x32.png"}};
  assets.response_schema = {{"type", "string"}};
  assets.error_codes = {404};
  table.add(std::move(assets));
}

}  // namespace nearhub::openapi
