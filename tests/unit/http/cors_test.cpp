#include "http/cors.h"

#include <gtest/gtest.h>

namespace nearhub::http {
namespace {

Request preflight_request(const std::string& origin) {
  Request request;
  request.method = "OPTIONS";
  request.headers.add("Origin", origin);
  request.headers.add("Access-Control-Request-Method", "POST");
  request.headers.add("Access-Control-Request-Headers", "authorization, content-type");
  return request;
}

TEST(CorsTest, RecognisesPreflight) {
  EXPECT_TRUE(CorsPolicy::is_preflight(preflight_request("https://a")));
  Request no_method;
  no_method.method = "OPTIONS";
  no_method.headers.add("Origin", "https://a");
  EXPECT_FALSE(CorsPolicy::is_preflight(no_method));
  Request get = preflight_request("https://a");
  get.method = "GET";
  EXPECT_FALSE(CorsPolicy::is_preflight(get));
}

TEST(CorsTest, ListedOriginIsEchoedWithCredentials) {
  CorsPolicy policy({"https://app.example"});
  Response response = policy.preflight(preflight_request("https://app.example"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(response.headers.get("access-control-allow-credentials"), "true");
  EXPECT_EQ(response.headers.get("vary"), "Origin");
  EXPECT_EQ(response.headers.get("access-control-allow-methods"),
            "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
  EXPECT_EQ(response.headers.get("access-control-allow-headers"), "authorization, content-type");
  EXPECT_EQ(response.headers.get("access-control-max-age"), "600");
}

TEST(CorsTest, UnlistedOriginGetsStarWithoutCredentials) {
  CorsPolicy policy({"https://app.example"});
  Response response = policy.preflight(preflight_request("https://evil.example"));
  EXPECT_EQ(response.headers.get("access-control-allow-origin"), "*");
  EXPECT_FALSE(response.headers.contains("access-control-allow-credentials"));
}

TEST(CorsTest, WildcardEntryNeverReflectsOrigins) {
  CorsPolicy policy({"*"});
  Headers headers;
  policy.add_origin_headers("https://evil.example", headers);
  EXPECT_EQ(headers.get("access-control-allow-origin"), "*");
  EXPECT_FALSE(headers.contains("access-control-allow-credentials"));
  EXPECT_FALSE(headers.contains("vary"));
}

TEST(CorsTest, SimpleResponseHeaders) {
  CorsPolicy policy({"https://app.example"});
  Headers listed;
  policy.add_origin_headers("https://app.example", listed);
  EXPECT_EQ(listed.get("access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(listed.get("access-control-allow-credentials"), "true");
  Headers unlisted;
  policy.add_origin_headers("https://other.example", unlisted);
  EXPECT_EQ(unlisted.get("access-control-allow-origin"), "*");
}

}  // namespace
}  // namespace nearhub::http
