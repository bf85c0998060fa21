#include "api/error.h"

#include <nlohmann/json.hpp>

#include "util/json.h"

namespace nearhub::api {

http::Response error_response(const Error& error) {
  nlohmann::ordered_json body;
  if (error.kind() == Error::Kind::Http) {
    body = {{"detail", error.message()}};
  } else {
    body = {{"status_code", error.status()}, {"message", error.message()}, {"data", nullptr}};
  }
  return http::Response::json_text(error.status(), util::dump_json(body));
}

http::Response internal_error_response() {
  return http::Response::make(500, "text/plain; charset=utf-8", "Internal Server Error");
}

}  // namespace nearhub::api
