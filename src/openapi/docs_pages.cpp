#include "openapi/docs_pages.h"

#include "openapi/assets.h"

namespace nearhub::openapi {
namespace {

std::string head(const std::string& title, const std::string& extra) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         title + "</title>\n<link rel=\"icon\" type=\"image/png\" href=\"" +
         asset_url("favicon-32x32.png") + "\">\n" + extra + "</head>\n";
}

}  // namespace

std::string reference_page() {
  // Redoc's own fonts are only named in CSS (with local fallbacks); nothing is downloaded.
  return head("NEAR AI Hub API reference", "<style>body { margin: 0; padding: 0; }</style>\n") +
         "<body>\n<redoc spec-url=\"/openapi.json\" required-props-first=\"true\" "
         "sort-props-alphabetically=\"false\"></redoc>\n<script src=\"" +
         asset_url("redoc.standalone.js") + "\"></script>\n</body>\n</html>\n";
}

std::string interactive_page() {
  return head("NEAR AI Hub API - interactive",
              "<link rel=\"stylesheet\" href=\"" + asset_url("swagger-ui.css") + "\">\n") +
         "<body>\n<div id=\"swagger-ui\"></div>\n<script src=\"" +
         asset_url("swagger-ui-bundle.js") +
         "\"></script>\n<script>\n"
         "window.ui = SwaggerUIBundle({\n"
         "  url: '/openapi.json',\n"
         "  dom_id: '#swagger-ui',\n"
         "  layout: 'BaseLayout',\n"
         "  deepLinking: true,\n"
         "  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],\n"
         // Keeps the token entered in Authorize across reloads.
         "  persistAuthorization: true,\n"
         // The default would send the document to validator.swagger.io.
         "  validatorUrl: null,\n"
         "});\n"
         "</script>\n</body>\n</html>\n";
}

}  // namespace nearhub::openapi
