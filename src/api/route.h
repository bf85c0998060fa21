#pragma once
// One declaration per endpoint (DESIGN.md "One route table"): the router dispatches from it, the
// validator checks parameters and bodies against its schemas, and the OpenAPI document is
// generated from it. Nothing about an endpoint is written anywhere else.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/identity.h"
#include "http/request.h"
#include "http/response.h"

namespace nearhub::api {

enum class AuthPolicy {
  None,           // the Authorization header is not read at all
  Optional,       // no token → anonymous; a bad token is an error
  Required,       // no token → 403 Authorization required
  SignatureOnly,  // signature, ownership and delegation; no nonce ledger
};

enum class ParamLocation { Query, Path, Header };

struct Param {
  std::string name;
  ParamLocation in = ParamLocation::Query;
  nlohmann::json schema = {{"type", "string"}};  // JSON Schema; its "default" fills a missing value
  bool required = true;
  std::string description;
};

enum class BodyKind { None, Json, Form, Multipart };

struct Call;
using Handler = std::function<http::Response(Call&)>;

struct Route {
  std::string method;  // "GET", "POST", ...
  std::string path;    // template, e.g. "/v1/threads/{thread_id}"
  AuthPolicy auth = AuthPolicy::Required;
  std::string tag;
  std::string summary;
  std::string description;
  std::vector<Param> params;
  BodyKind body_kind = BodyKind::None;
  nlohmann::json body_schema;  // JSON Schema of the JSON body, or of the form fields as an object
  bool body_required = true;
  nlohmann::json response_schema;  // JSON Schema of the 200 response
  std::string response_content_type = "application/json";
  std::vector<int> error_codes;    // documented error statuses besides 422
  std::size_t max_body_bytes = 0;  // 0 = the server's default limit
  Handler handler;
};

// What a handler receives: the request, the verified caller, and validated inputs.
struct Call {
  http::Request& request;
  std::optional<Identity> identity;  // empty when anonymous or the route's policy is None
  nlohmann::json params;  // {"name": value} for every declared parameter, coerced to its schema
  nlohmann::json body;    // the validated JSON body (or form fields as an object); null if none

  // The caller, for routes whose policy guarantees one (Required, SignatureOnly).
  const Identity& caller() const;
};

// A JSON response with the given status. Ordered JSON keeps fields in the order they were
// written, as the original's models do (spec §1.5).
http::Response json(const nlohmann::ordered_json& body, int status = 200);

// The whole API: each area appends its routes.
class RouteTable {
 public:
  void add(Route route) { routes_.push_back(std::move(route)); }
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace nearhub::api
