#pragma once
// One declaration per endpoint (DESIGN.md "One route table"): the router dispatches from it, the
// validator checks parameters and bodies against its schemas, and the OpenAPI document is
// generated from it. Nothing about an endpoint is written anywhere else.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/identity.h"
#include "http/request.h"
#include "http/response.h"
#include "util/byte_source.h"

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

// One file part of a multipart body, spooled to disk (Route::stream_upload).
struct Upload {
  std::string filename;
  std::string content_type;  // as the client sent it; empty when it sent none
  std::uint64_t size = 0;
  // Reads the part's bytes from the spooled body (no copy is made); each call starts over.
  // The spool file lives as long as this function object.
  std::function<std::unique_ptr<util::ByteSource>()> open;
};

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
  // With BodyKind::Multipart: the body is spooled to a temporary file (never held in memory);
  // text fields land in Call::body (validated by body_schema), file parts in Call::uploads.
  // max_body_bytes still applies. Declare each file field in body_schema as
  // {"type": "string", "format": "binary"} (a missing required one is a 422 'missing').
  bool stream_upload = false;
  Handler handler;
};

// What a handler receives: the request, the verified caller, and validated inputs.
struct Call {
  http::Request& request;
  std::optional<Identity> identity;  // empty when anonymous or the route's policy is None
  nlohmann::json params;  // {"name": value} for every declared parameter, coerced to its schema
  nlohmann::json body;    // the validated JSON body (or form fields as an object); null if none
  std::map<std::string, Upload> uploads;  // file parts by form field name (stream_upload)

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
