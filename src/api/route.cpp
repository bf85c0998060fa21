#include "api/route.h"

#include "api/error.h"
#include "util/json.h"

namespace nearhub::api {

const Identity& Call::caller() const {
  // Routes with Required/SignatureOnly never reach a handler without an identity; this guards
  // a handler declared with the wrong policy.
  if (!identity) throw Error::http(403, "Authorization required");
  return *identity;
}

http::Response json(const nlohmann::ordered_json& body, int status) {
  return http::Response::json_text(status, util::dump_json(body));
}

}  // namespace nearhub::api
