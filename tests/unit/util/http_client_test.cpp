#include "util/http_client.h"

#include <gtest/gtest.h>

#include "unit/util/fake_http_server.h"

namespace nearhub::util {
namespace {

using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;

TEST(HttpClient, SendsAPostWithHeadersAndBody) {
  FakeHttpServer server([](const FakeRequest& request) {
    return FakeResponse{201, "echo:" + request.body};
  });
  const auto response = send_http_request({.method = "POST",
                                           .url = server.url() + "/rpc?x=1",
                                           .headers = {{"X-Test", "yes"}},
                                           .body = R"({"a":1})"});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"(echo:{"a":1})");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/rpc?x=1");
  EXPECT_NE(requests[0].headers.find("X-Test: yes"), std::string::npos);
}

TEST(HttpClient, ReturnsErrorStatusesInsteadOfThrowing) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{503, "down"}; });
  const auto response = send_http_request({.url = server.url() + "/"});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "down");
  EXPECT_EQ(server.requests().at(0).method, "GET");
}

TEST(HttpClient, ThrowsWhenNothingAnswers) {
  const std::string url = testing::refused_url();
  try {
    send_http_request({.url = url});
    FAIL() << "expected HttpClientError";
  } catch (const HttpClientError& error) {
    EXPECT_NE(std::string(error.what()).find(url), std::string::npos);
  }
}

TEST(HttpClient, ThrowsOnTimeout) {
  FakeHttpServer server([](const FakeRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    return FakeResponse{200, "late"};
  });
  EXPECT_THROW(
      send_http_request({.url = server.url(), .total_timeout = std::chrono::milliseconds(100)}),
      HttpClientError);
}

}  // namespace
}  // namespace nearhub::util
