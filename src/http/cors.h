#pragma once
// CORS as the original hub answers it (spec/platform.md §1.2: all origins, methods and headers),
// hardened: credentials are allowed only for origins listed in the configuration, so an
// arbitrary site can never make credentialed requests.

#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"

namespace nearhub::http {

class CorsPolicy {
 public:
  // Origins that may send credentials; "*" entries are ignored (any origin gets "*" anyway).
  explicit CorsPolicy(std::vector<std::string> credential_origins);

  // OPTIONS carrying Origin and Access-Control-Request-Method: answered without the handler.
  static bool is_preflight(const Request& request);
  Response preflight(const Request& request) const;

  // Adds the Allow-Origin headers for a request that carried `origin`.
  void add_origin_headers(std::string_view origin, Headers& headers) const;

 private:
  bool allows_credentials(std::string_view origin) const;

  std::vector<std::string> credential_origins_;
};

}  // namespace nearhub::http
