#include "http/cors.h"

#include <algorithm>

namespace nearhub::http {

CorsPolicy::CorsPolicy(std::vector<std::string> credential_origins) {
  for (std::string& origin : credential_origins) {
    if (origin != "*") credential_origins_.push_back(std::move(origin));
  }
}

bool CorsPolicy::is_preflight(const Request& request) {
  return request.method == "OPTIONS" && request.headers.contains("origin") &&
         request.headers.contains("access-control-request-method");
}

Response CorsPolicy::preflight(const Request& request) const {
  Response response = Response::make(200, "text/plain; charset=utf-8", "OK");
  add_origin_headers(request.headers.get("origin").value_or(""), response.headers);
  response.headers.add("access-control-allow-methods",
                       "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
  if (auto requested = request.headers.get("access-control-request-headers")) {
    response.headers.add("access-control-allow-headers", std::string(*requested));
  }
  response.headers.add("access-control-max-age", "600");
  return response;
}

void CorsPolicy::add_origin_headers(std::string_view origin, Headers& headers) const {
  if (allows_credentials(origin)) {
    headers.add("access-control-allow-origin", std::string(origin));
    headers.add("access-control-allow-credentials", "true");
  } else {
    headers.add("access-control-allow-origin", "*");
  }
  // The answer depends on the origin only when some origin is listed; caches must know.
  if (!credential_origins_.empty()) headers.add("vary", "Origin");
}

bool CorsPolicy::allows_credentials(std::string_view origin) const {
  return std::find(credential_origins_.begin(), credential_origins_.end(), origin) !=
         credential_origins_.end();
}

}  // namespace nearhub::http
