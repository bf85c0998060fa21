#include "api/dispatcher.h"

#include <spdlog/spdlog.h>

#include "api/error.h"
#include "api/spooled_form.h"
#include "api/validator.h"
#include "http/form.h"
#include "http/multipart.h"
#include "util/url.h"

namespace nearhub::api {

namespace {

nlohmann::json parse_json_body(const Route& route, const http::Request& request,
                               ValidationErrors& errors) {
  if (request.body.empty()) {
    if (route.body_required) {
      errors.add({.type = "missing", .loc = {"body"}, .msg = "Field required", .input = nullptr});
    }
    return nullptr;
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    errors.add({.type = "json_invalid",
                .loc = {"body", std::size_t{0}},
                .msg = "JSON decode error",
                .input = nlohmann::json::object(),
                .ctx = {{"error", "Expecting value"}}});
    return nullptr;
  }
  validate(body, route.body_schema, {"body"}, errors);
  return body;
}

// Form fields (urlencoded or the text parts of multipart/form-data) as a JSON object of
// strings, validated with the same lax coercion as query parameters.
nlohmann::json parse_form_body(const Route& route, const http::Request& request,
                               ValidationErrors& errors) {
  nlohmann::json fields = nlohmann::json::object();
  const std::string_view content_type = request.headers.get("Content-Type").value_or("");
  if (auto boundary = http::multipart_boundary(content_type)) {
    try {
      for (http::MultipartPart& part : http::parse_multipart(request.body, *boundary)) {
        if (!part.info.filename) fields[part.info.name] = std::move(part.data);
      }
    } catch (const http::MultipartError& error) {
      throw Error::http(error.status(), error.what());
    }
  } else {
    for (auto& [name, value] : http::parse_urlencoded_form(request.body)) {
      if (!fields.contains(name)) fields[name] = std::move(value);
    }
  }
  validate(fields, route.body_schema, {"body"}, errors);
  return fields;
}

bool is_file_field(const nlohmann::json& schema) {
  return schema.is_object() && schema.value("format", "") == "binary";
}

// A spooled multipart body (Route::stream_upload): text fields are validated like a form, and a
// file field counts as present when a file part of that name came (a text part does not do).
// The uploads go to call.uploads, not into the body.
nlohmann::json parse_upload_body(const Route& route, const http::Request& request, Call& call,
                                 ValidationErrors& errors) {
  SpooledForm form = read_spooled_form(request);
  nlohmann::json fields = std::move(form.fields);
  if (route.body_schema.is_object() && route.body_schema.contains("properties")) {
    for (const auto& [name, property] : route.body_schema["properties"].items()) {
      if (is_file_field(property)) fields.erase(name);
    }
  }
  for (const auto& [name, upload] : form.uploads) fields[name] = upload.filename;
  validate(fields, route.body_schema, {"body"}, errors);
  for (const auto& [name, upload] : form.uploads) fields.erase(name);
  call.uploads = std::move(form.uploads);
  return fields;
}

http::Response not_found() { return error_response(Error::http(404, "Not Found")); }

}  // namespace

Dispatcher::Dispatcher(const RouteTable& table, Authenticator& authenticator,
                       std::size_t default_body_limit)
    : table_(table), authenticator_(authenticator), default_body_limit_(default_body_limit) {
  const auto& routes = table_.routes();
  for (std::size_t i = 0; i < routes.size(); ++i) router_.add(routes[i].method, routes[i].path, i);
}

std::size_t Dispatcher::body_limit(const http::Request& head) const {
  const http::RouteMatch match = router_.match(head.method, head.path);
  if (match.kind == http::RouteMatch::Kind::Found) {
    const Route& route = table_.routes()[match.route_index];
    if (route.max_body_bytes != 0) return route.max_body_bytes;
  }
  return default_body_limit_;
}

bool Dispatcher::spool_body(const http::Request& head) const {
  const http::RouteMatch match = router_.match(head.method, head.path);
  if (match.kind != http::RouteMatch::Kind::Found) return false;
  const Route& route = table_.routes()[match.route_index];
  return route.stream_upload && route.body_kind == BodyKind::Multipart;
}

std::optional<http::Response> Dispatcher::admit(http::Request& head) {
  const http::RouteMatch match = router_.match(head.method, head.path);
  if (match.kind != http::RouteMatch::Kind::Found) return std::nullopt;
  try {
    authenticator_.authenticate(head, table_.routes()[match.route_index].auth);
  } catch (const Error& error) {
    return error_response(error);
  } catch (const std::exception& error) {
    spdlog::error("{} {} failed before its body (request {}): {}", head.method, head.path,
                  head.request_id, error.what());
    return internal_error_response();
  }
  return std::nullopt;
}

http::Response Dispatcher::handle(http::Request& request) {
  try {
    http::RouteMatch match = router_.match(request.method, request.path);
    switch (match.kind) {
      case http::RouteMatch::Kind::NotFound:
        return not_found();
      case http::RouteMatch::Kind::MethodNotAllowed: {
        http::Response response = error_response(Error::http(405, "Method Not Allowed"));
        std::string allow;
        for (const std::string& method : match.allowed_methods) {
          allow += allow.empty() ? method : ", " + method;
        }
        response.headers.set("Allow", allow);
        return response;
      }
      case http::RouteMatch::Kind::Redirect: {
        http::Response response = http::Response::make(307, "", "");
        std::string location = util::percent_encode(match.redirect_location, true);
        if (!request.query_string.empty()) location += "?" + request.query_string;
        response.headers.set("Location", location);
        return response;
      }
      case http::RouteMatch::Kind::Found:
        break;
    }
    const Route& route = table_.routes()[match.route_index];
    request.path_params = std::move(match.params);

    // Authentication runs first: its errors win over validation errors (spec §1.6).
    Call call{request, authenticator_.authenticate(request, route.auth), nullptr, nullptr};
    // Like the original, every invalid input is reported at once.
    ValidationErrors errors;
    call.params = read_parameters(route, request, errors);
    if (route.body_kind == BodyKind::Json) call.body = parse_json_body(route, request, errors);
    if (route.body_kind == BodyKind::Form) call.body = parse_form_body(route, request, errors);
    if (route.body_kind == BodyKind::Multipart && route.stream_upload) {
      call.body = parse_upload_body(route, request, call, errors);
    }
    errors.throw_if_any();
    return route.handler(call);
  } catch (const Error& error) {
    return error_response(error);
  } catch (const std::exception& error) {
    spdlog::error("{} {} failed (request {}): {}", request.method, request.path, request.request_id,
                  error.what());
    return internal_error_response();
  }
}

}  // namespace nearhub::api
