#pragma once
// The OpenAPI 3.1 document of the API, generated from the route table (DESIGN.md "One route
// table"): nothing in it is written by hand except the shared error schemas and the bearer
// scheme's description.

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "api/route.h"

namespace nearhub::openapi {

struct DocumentInfo {
  std::string version;  // first, so DocumentInfo{version} names the version
  std::string title = "NEAR AI Hub API (nearhub)";
  std::string description;
  // The licence of the served API, as an SPDX identifier (e.g. "MIT"); omitted when empty.
  std::string license_identifier;
  // Shown in the docs' navigation; a tag without an entry gets a generic sentence.
  std::map<std::string, std::string> tag_descriptions;
};

nlohmann::json openapi_document(const api::RouteTable& table, const DocumentInfo& info);

}  // namespace nearhub::openapi
