#include "http/router.h"

#include <gtest/gtest.h>

namespace nearhub::http {
namespace {

using Kind = RouteMatch::Kind;

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add("GET", "/health", 0);
    router.add("GET", "/v1/threads/{thread_id}", 1);
    router.add("POST", "/v1/threads/{thread_id}", 2);
    router.add("POST", "/v1/threads/runs", 3);
    router.add("GET", "/v1/threads/{thread_id}/runs/{run_id}", 4);
    router.add("PATCH", "/v1/threads/{thread_id}/messages/{message_id}", 5);
    router.add("GET", "/v1/entries/", 6);
    router.add("GET", "/", 7);
  }
  Router router;
};

TEST_F(RouterTest, MatchesLiteralRoute) {
  auto match = router.match("GET", "/health");
  EXPECT_EQ(match.kind, Kind::Found);
  EXPECT_EQ(match.route_index, 0u);
  EXPECT_TRUE(match.params.empty());
  EXPECT_EQ(router.match("GET", "/").route_index, 7u);
}

TEST_F(RouterTest, CapturesParameters) {
  auto match = router.match("GET", "/v1/threads/t1/runs/r 2");
  ASSERT_EQ(match.kind, Kind::Found);
  EXPECT_EQ(match.route_index, 4u);
  EXPECT_EQ(match.params.at("thread_id"), "t1");
  EXPECT_EQ(match.params.at("run_id"), "r 2");  // the server decodes the path before matching
}

TEST_F(RouterTest, LiteralWinsOverParameter) {
  auto match = router.match("POST", "/v1/threads/runs");
  ASSERT_EQ(match.kind, Kind::Found);
  EXPECT_EQ(match.route_index, 3u);
  EXPECT_TRUE(match.params.empty());
}

TEST_F(RouterTest, FallsBackToParameterWhenLiteralHasNoSuchMethod) {
  // GET /v1/threads/runs is "retrieve the thread called runs", as in the original.
  auto match = router.match("GET", "/v1/threads/runs");
  ASSERT_EQ(match.kind, Kind::Found);
  EXPECT_EQ(match.route_index, 1u);
  EXPECT_EQ(match.params.at("thread_id"), "runs");
}

TEST_F(RouterTest, HeadMatchesGet) {
  auto match = router.match("HEAD", "/v1/threads/abc");
  ASSERT_EQ(match.kind, Kind::Found);
  EXPECT_EQ(match.route_index, 1u);
}

TEST_F(RouterTest, WrongMethodListsAllowedMethods) {
  auto match = router.match("GET", "/v1/threads/t/messages/m");
  ASSERT_EQ(match.kind, Kind::MethodNotAllowed);
  EXPECT_EQ(match.allowed_methods, std::vector<std::string>{"PATCH"});

  auto thread = router.match("DELETE", "/v1/threads/t");
  ASSERT_EQ(thread.kind, Kind::MethodNotAllowed);
  EXPECT_EQ(thread.allowed_methods, (std::vector<std::string>{"GET", "HEAD", "POST"}));
}

TEST_F(RouterTest, RedirectsToTheOtherSlashForm) {
  auto without = router.match("GET", "/health/");
  ASSERT_EQ(without.kind, Kind::Redirect);
  EXPECT_EQ(without.redirect_location, "/health");

  auto with = router.match("GET", "/v1/entries");
  ASSERT_EQ(with.kind, Kind::Redirect);
  EXPECT_EQ(with.redirect_location, "/v1/entries/");

  // Any method on the other form redirects; the method is checked after the redirect.
  EXPECT_EQ(router.match("DELETE", "/health/").kind, Kind::Redirect);
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  EXPECT_EQ(router.match("GET", "/nope").kind, Kind::NotFound);
  EXPECT_EQ(router.match("GET", "/v1/threads").kind, Kind::NotFound);
  EXPECT_EQ(router.match("GET", "/v1/threads/").kind, Kind::NotFound);  // empty parameter
  EXPECT_EQ(router.match("GET", "/v1/threads/a/b").kind, Kind::NotFound);
  EXPECT_EQ(router.match("GET", "").kind, Kind::NotFound);
  EXPECT_EQ(router.match("GET", "health").kind, Kind::NotFound);
}

TEST_F(RouterTest, DifferentParameterNamesPerRoute) {
  Router names;
  names.add("POST", "/v1/threads/{parent_id}/subthread", 0);
  names.add("POST", "/v1/threads/{thread_id}/fork", 1);
  EXPECT_EQ(names.match("POST", "/v1/threads/p/subthread").params.at("parent_id"), "p");
  EXPECT_EQ(names.match("POST", "/v1/threads/t/fork").params.at("thread_id"), "t");
}

TEST_F(RouterTest, RejectsBadTemplates) {
  Router bad;
  EXPECT_THROW(bad.add("GET", "no-slash", 0), std::invalid_argument);
  EXPECT_THROW(bad.add("GET", "/file.{ext}", 0), std::invalid_argument);
  bad.add("GET", "/a/{x}", 0);
  EXPECT_THROW(bad.add("GET", "/a/{y}", 1), std::invalid_argument);
}

}  // namespace
}  // namespace nearhub::http
