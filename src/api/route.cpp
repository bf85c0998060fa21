#include "api/route.h"

#include "api/error.h"

namespace nearhub::api {

const Identity& Call::caller() const {
  // Routes with Required/SignatureOnly never reach a handler without an identity; this guards
  // a handler declared with the wrong policy.
  if (!identity) throw Error::http(403, "Authorization required");
  return *identity;
}

http::Response json(const nlohmann::json& body, int status) {
  return http::Response::json_text(status, body.dump());
}

}  // namespace nearhub::api
