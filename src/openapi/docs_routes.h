#pragma once
// The API docs as ordinary routes (auth None, tag "docs"): the OpenAPI document, the Redoc
// reference page, the Swagger UI page, and the embedded files both pages load. Nothing is fetched
// from outside the server.

#include <functional>
#include <string>

#include "api/route.h"

namespace nearhub::openapi {

// `document_json` returns the serialized OpenAPI document; the caller generates it once (after
// every route is added) and caches it.
void add_docs_routes(api::RouteTable& table, std::function<std::string()> document_json);

}  // namespace nearhub::openapi
