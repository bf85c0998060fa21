#pragma once
// The Redoc and Swagger UI files linked into the binary at build time (cmake/web_assets.cmake),
// so the docs pages work with no network access.

#include <string>
#include <string_view>

namespace nearhub::openapi {

struct Asset {
  std::string_view name;          // as in /docs/hub/assets/<name>
  std::string_view content_type;  // for the Content-Type header
  std::string_view data;
  // A short hash of `data`. Pages add it to the asset's URL (?v=...) so the asset can be cached
  // for good: a build with other bundles yields other URLs.
  std::string version;
};

// The asset served under `name`, or nullptr.
const Asset* find_asset(std::string_view name);

// The URL a page uses for the asset `name` (which must exist), version included.
std::string asset_url(std::string_view name);

}  // namespace nearhub::openapi
