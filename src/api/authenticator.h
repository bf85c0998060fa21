#pragma once
// The seam between routing and authentication: api/ asks, auth/ answers.

#include <optional>

#include "api/identity.h"
#include "api/route.h"
#include "http/request.h"

namespace nearhub::api {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Runs the pipeline of spec/platform.md §2 for `policy`. Returns the caller, or nothing when
  // the request is anonymous and the policy allows it. Throws api::Error (400, 401, 403).
  virtual std::optional<Identity> authenticate(const http::Request& request, AuthPolicy policy) = 0;
};

}  // namespace nearhub::api
