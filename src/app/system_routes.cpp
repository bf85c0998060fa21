#include "app/system_routes.h"

#include "app/version.h"

namespace nearhub::app {

void add_system_routes(api::RouteTable& table) {
  // The health answer never changes: build it once, so a load balancer's probes cost nothing.
  static const std::string health_body = R"({"status":"ok"})";
  table.add({
      .method = "GET",
      .path = "/health",
      .auth = api::AuthPolicy::None,
      .tag = "system",
      .summary = "Liveness check",
      .description = "Answers without touching the database.",
      .response_schema = {{"type", "object"},
                          {"properties", {{"status", {{"type", "string"}, {"const", "ok"}}}}},
                          {"required", {"status"}}},
      .handler = [](api::Call&) { return http::Response::json_text(200, health_body); },
  });
  table.add({
      .method = "GET",
      .path = "/v1/version",
      .auth = api::AuthPolicy::None,
      .tag = "system",
      .summary = "Server version",
      .description = "The nearhub version, as a JSON string.",
      .response_schema = {{"type", "string"}},
      .handler = [](api::Call&) { return api::json(std::string(kVersion)); },
  });
}

}  // namespace nearhub::app
