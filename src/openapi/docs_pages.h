#pragma once
// The HTML of the two docs pages. Both load the bundles from /docs/hub/assets and the document
// from /openapi.json, and nothing else.

#include <string>

namespace nearhub::openapi {

std::string reference_page();    // Redoc
std::string interactive_page();  // Swagger UI

// The Content-Security-Policy both pages are served with: the browser may load scripts, styles,
// images and data from this server only. Redoc's bundle, for one, always shows a logo from
// cdn.redoc.ly; the policy blocks it before any request is made and Redoc then omits the image.
constexpr const char* kDocsContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'";

}  // namespace nearhub::openapi
