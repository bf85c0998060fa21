// What every client meets first: health, version, unknown paths and methods, limits, the
// OpenAPI document, and a clean stop.

#include <gtest/gtest.h>

#include <set>

#include "e2e/support/client.h"
#include "e2e/support/server_process.h"
#include "e2e/support/shared_server.h"

namespace nearhub::e2e {
namespace {

using nlohmann::json;

class ServerBasics : public SharedServerTest<ServerBasics> {};

TEST_F(ServerBasics, Health) {
  const Reply reply = client().get("/health");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.json(), json({{"status", "ok"}}));
}

TEST_F(ServerBasics, HealthIgnoresEvenAGarbageToken) {
  EXPECT_EQ(client().get("/health", {{"Authorization", "Bearer {garbage"}}).status, 200);
}

TEST_F(ServerBasics, VersionIsAJsonString) {
  const Reply reply = client().get("/v1/version");
  EXPECT_EQ(reply.status, 200);
  EXPECT_TRUE(reply.json().is_string());
}

TEST_F(ServerBasics, UnknownPathAndWrongMethod) {
  Reply reply = client().get("/v1/no/such/thing");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.json(), json({{"detail", "Not Found"}}));
  reply = client().post("/health");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.json(), json({{"detail", "Method Not Allowed"}}));
}

TEST_F(ServerBasics, TrailingSlashRedirects) {
  const Reply reply = client().get("/health/");
  EXPECT_EQ(reply.status, 307);
}

TEST_F(ServerBasics, BodyOverTheLimitIs413) {
  const Reply reply = client().post("/v1/nonce/revoke", std::string(2 * 1024 * 1024, ' '));
  EXPECT_EQ(reply.status, 413);
  EXPECT_TRUE(reply.json().contains("detail"));
}

TEST_F(ServerBasics, OpenApiListsEveryServedRouteAndServesEveryListedRoute) {
  const Reply reply = client().get("/openapi.json");
  ASSERT_EQ(reply.status, 200);
  const json document = reply.json();
  EXPECT_EQ(document["openapi"].get<std::string>().substr(0, 3), "3.1");

  std::set<std::string> listed;
  for (const auto& [path, item] : document["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(c));
      listed.insert(upper + " " + path);
      // Every listed operation is served: never 404/405 (templates get a dummy segment).
      std::string concrete = path;
      for (std::size_t open; (open = concrete.find('{')) != std::string::npos;) {
        concrete.replace(open, concrete.find('}', open) - open + 1, "x");
      }
      const Reply served = client().request(upper, concrete, "", {});
      EXPECT_NE(served.status, 405) << upper << " " << path;
      if (path.find('{') == std::string::npos) {
        EXPECT_NE(served.status, 404) << upper << " " << path;
      }
    }
  }
  // Everything this server serves is listed.
  for (const char* route :
       {"GET /health", "GET /v1/version", "GET /v1/nonce/list", "POST /v1/nonce/revoke",
        "POST /v1/nonce/revoke/all", "POST /v1/delegation/delegate",
        "POST /v1/delegation/list_delegations", "POST /v1/delegation/revoke_delegation",
        "GET /openapi.json", "GET /docs/hub/reference", "GET /docs/hub/interactive"}) {
    EXPECT_TRUE(listed.count(route)) << route;
  }
}

TEST_F(ServerBasics, DocsPagesAreServed) {
  for (const char* page : {"/docs/hub/reference", "/docs/hub/interactive"}) {
    const Reply reply = client().get(page);
    EXPECT_EQ(reply.status, 200) << page;
    EXPECT_NE(reply.body.find("/openapi.json"), std::string::npos) << page;
  }
}

TEST(ServerLifecycle, SigtermStopsCleanly) {
  ServerProcess server;
  EXPECT_EQ(Client(server.base_url()).get("/health").status, 200);
  EXPECT_EQ(server.stop(), 0) << server.log();
}

TEST(ServerLifecycle, DataSurvivesARestart) {
  const auto data_dir = make_temp_dir("nearhub-restart");
  {
    ServerProcess first({.data_dir = data_dir});
    EXPECT_EQ(Client(first.base_url()).get("/health").status, 200);
  }
  ServerProcess second({.data_dir = data_dir});  // migrations already applied: starts anyway
  EXPECT_EQ(Client(second.base_url()).get("/health").status, 200);
  second.stop();
  std::filesystem::remove_all(data_dir);
}

TEST(ServerLifecycle, BadConfigurationFailsWithAClearMessage) {
  EXPECT_THROW(ServerProcess({.environment = {{"NEARHUB_IO_THREADS", "eighty"}}}),
               std::runtime_error);
}

}  // namespace
}  // namespace nearhub::e2e
