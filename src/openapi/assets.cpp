#include "openapi/assets.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

// Defined by the generated web_assets.S (.incbin of the npm bundles).
#define NEARHUB_DECLARE_ASSET(symbol)                     \
  extern "C" const char nearhub_asset_##symbol##_begin[]; \
  extern "C" const char nearhub_asset_##symbol##_end[];
NEARHUB_DECLARE_ASSET(redoc_standalone_js)
NEARHUB_DECLARE_ASSET(swagger_ui_bundle_js)
NEARHUB_DECLARE_ASSET(swagger_ui_css)
NEARHUB_DECLARE_ASSET(swagger_favicon_png)
#undef NEARHUB_DECLARE_ASSET

namespace nearhub::openapi {
namespace {

std::string_view between(const char* begin, const char* end) {
  return {begin, static_cast<std::size_t>(end - begin)};
}

// FNV-1a: a cache-busting tag, not a security measure.
std::string short_hash(std::string_view data) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return std::string(text, 12);
}

Asset make_asset(std::string_view name, std::string_view content_type, std::string_view data) {
  return {name, content_type, data, short_hash(data)};
}

const std::array<Asset, 4>& all_assets() {
  // Hashed once, on first use (about 2 MB of data).
  static const std::array<Asset, 4> assets = {
      make_asset(
          "redoc.standalone.js", "text/javascript; charset=utf-8",
          between(nearhub_asset_redoc_standalone_js_begin, nearhub_asset_redoc_standalone_js_end)),
      make_asset("swagger-ui-bundle.js", "text/javascript; charset=utf-8",
                 between(nearhub_asset_swagger_ui_bundle_js_begin,
                         nearhub_asset_swagger_ui_bundle_js_end)),
      make_asset("swagger-ui.css", "text/css; charset=utf-8",
                 between(nearhub_asset_swagger_ui_css_begin, nearhub_asset_swagger_ui_css_end)),
      make_asset(
          "favicon-32x32.png", "image/png",
          between(nearhub_asset_swagger_favicon_png_begin, nearhub_asset_swagger_favicon_png_end)),
  };
  return assets;
}

}  // namespace

const Asset* find_asset(std::string_view name) {
  for (const auto& asset : all_assets()) {
    if (asset.name == name) return &asset;
  }
  return nullptr;
}

std::string asset_url(std::string_view name) {
  const Asset* asset = find_asset(name);
  if (!asset) throw std::logic_error("unknown docs asset " + std::string(name));
  return "/docs/hub/assets/" + std::string(name) + "?v=" + asset->version;
}

}  // namespace nearhub::openapi
