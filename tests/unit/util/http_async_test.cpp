#include "util/http_async.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include "unit/util/fake_http_server.h"

namespace nearhub::util {
namespace {

using namespace std::chrono_literals;
using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;
using Clock = AsyncHttpClient::Clock;

// Sends one request and waits for its outcome.
HttpOutcome send_and_wait(AsyncHttpClient& client, HttpRequest request,
                          Clock::time_point not_before = {}) {
  std::promise<HttpOutcome> outcome;
  client.send(
      std::move(request), [&](HttpOutcome result) { outcome.set_value(std::move(result)); },
      not_before);
  auto future = outcome.get_future();
  if (future.wait_for(10s) != std::future_status::ready) throw std::runtime_error("no outcome");
  return future.get();
}

TEST(AsyncHttpClient, SendsAPostWithHeadersAndBody) {
  FakeHttpServer server([](const FakeRequest& request) {
    return FakeResponse{201, "echo:" + request.body};
  });
  AsyncHttpClient client;
  const HttpOutcome outcome = send_and_wait(client, {.method = "POST",
                                                     .url = server.url() + "/v1/x?y=1",
                                                     .headers = {{"X-Test", "yes"}},
                                                     .body = R"({"a":1})"});
  EXPECT_EQ(outcome.status, 201);
  EXPECT_EQ(outcome.body, R"(echo:{"a":1})");
  EXPECT_TRUE(outcome.error.empty());
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/x?y=1");
  EXPECT_NE(requests[0].headers.find("X-Test: yes"), std::string::npos);
}

TEST(AsyncHttpClient, AnErrorStatusIsAnAnswer) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{503, "down"}; });
  AsyncHttpClient client;
  const HttpOutcome outcome = send_and_wait(client, {.url = server.url() + "/"});
  EXPECT_EQ(outcome.status, 503);
  EXPECT_EQ(outcome.body, "down");
}

TEST(AsyncHttpClient, NoAnswerNamesTheUrl) {
  AsyncHttpClient client;
  const std::string url = testing::refused_url();
  const HttpOutcome outcome = send_and_wait(client, {.url = url});
  EXPECT_EQ(outcome.status, 0);
  EXPECT_NE(outcome.error.find(url), std::string::npos) << outcome.error;
}

TEST(AsyncHttpClient, ATimeoutIsNoAnswer) {
  FakeHttpServer server([](const FakeRequest&) {
    std::this_thread::sleep_for(500ms);
    return FakeResponse{200, "late"};
  });
  AsyncHttpClient client;
  const HttpOutcome outcome = send_and_wait(client, {.url = server.url(), .total_timeout = 100ms});
  EXPECT_EQ(outcome.status, 0);
  EXPECT_FALSE(outcome.error.empty());
}

TEST(AsyncHttpClient, ADelayedRequestWaitsWithoutHoldingOthersUp) {
  FakeHttpServer server([](const FakeRequest& request) {
    return FakeResponse{200, request.target};
  });
  AsyncHttpClient client;
  std::promise<Clock::time_point> delayed_done;
  const auto sent = Clock::now();
  client.send(
      {.url = server.url() + "/delayed"},
      [&](HttpOutcome) { delayed_done.set_value(Clock::now()); }, sent + 300ms);
  // Sent after the delayed one, answered before it.
  const HttpOutcome prompt = send_and_wait(client, {.url = server.url() + "/prompt"});
  EXPECT_EQ(prompt.body, "/prompt");
  EXPECT_LT(Clock::now() - sent, 300ms);
  auto future = delayed_done.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_GE(future.get() - sent, 300ms);
  EXPECT_EQ(server.requests().back().target, "/delayed");
}

TEST(AsyncHttpClient, CancelEndsARequestInFlightOrNotYetStarted) {
  FakeHttpServer server([](const FakeRequest&) {
    std::this_thread::sleep_for(2s);
    return FakeResponse{200, "late"};
  });
  AsyncHttpClient client;
  std::promise<HttpOutcome> running;
  std::promise<HttpOutcome> waiting;
  const auto sent = Clock::now();
  auto in_flight =
      client.send({.url = server.url()}, [&](HttpOutcome o) { running.set_value(std::move(o)); });
  auto delayed = client.send(
      {.url = server.url()}, [&](HttpOutcome o) { waiting.set_value(std::move(o)); }, sent + 1h);
  std::this_thread::sleep_for(100ms);  // the first is now waiting for its answer
  in_flight->cancel();
  delayed->cancel();
  for (auto* outcome : {&running, &waiting}) {
    auto future = outcome->get_future();
    ASSERT_EQ(future.wait_for(1s), std::future_status::ready);
    const HttpOutcome result = future.get();
    EXPECT_EQ(result.status, 0);
    EXPECT_NE(result.error.find("cancelled"), std::string::npos) << result.error;
  }
  EXPECT_LT(Clock::now() - sent, 1500ms);
}

TEST(AsyncHttpClient, ACallbackMaySendTheNextRequest) {
  FakeHttpServer server([](const FakeRequest& request) {
    return FakeResponse{200, request.target};
  });
  AsyncHttpClient client;
  std::promise<std::string> second;
  client.send({.url = server.url() + "/first"}, [&](HttpOutcome first) {
    client.send({.url = server.url() + "/second?after=" + first.body},
                [&](HttpOutcome outcome) { second.set_value(outcome.body); });
  });
  auto future = second.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(future.get(), "/second?after=/first");
}

// A stream whose on_piece is `decide`; the outcome is delivered to the returned future.
struct StreamRun {
  std::shared_ptr<AsyncHttpClient::TransferControl> control;
  std::future<HttpOutcome> outcome;
};
StreamRun stream(AsyncHttpClient& client, const std::string& url,
                 std::function<AsyncHttpClient::PieceAction(long, std::string_view)> decide) {
  auto done = std::make_shared<std::promise<HttpOutcome>>();
  StreamRun run;
  run.outcome = done->get_future();
  run.control =
      client.stream({.method = "POST", .url = url},
                    {.on_piece = std::move(decide),
                     .done = [done](HttpOutcome outcome) { done->set_value(std::move(outcome)); }},
                    std::chrono::milliseconds(0));
  return run;
}

TEST(AsyncHttpClient, AStreamHandsItsBodyToOnPiece) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, "data: 1\n\n"}; });
  AsyncHttpClient client;
  std::string received;
  long seen_status = 0;
  StreamRun run = stream(client, server.url(), [&](long status, std::string_view piece) {
    seen_status = status;
    received.append(piece);
    return AsyncHttpClient::PieceAction::Continue;
  });
  ASSERT_EQ(run.outcome.wait_for(5s), std::future_status::ready);
  const HttpOutcome outcome = run.outcome.get();
  EXPECT_EQ(outcome.status, 200);
  EXPECT_TRUE(outcome.body.empty());
  EXPECT_EQ(seen_status, 200);
  EXPECT_EQ(received, "data: 1\n\n");
}

TEST(AsyncHttpClient, APausedPieceComesAgainAfterResume) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, "held"}; });
  AsyncHttpClient client;
  std::atomic<int> calls{0};
  std::atomic<bool> may_take{false};
  std::string received;
  StreamRun run = stream(client, server.url(), [&](long, std::string_view piece) {
    ++calls;
    if (!may_take) return AsyncHttpClient::PieceAction::Pause;
    received.append(piece);
    return AsyncHttpClient::PieceAction::Continue;
  });
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(run.outcome.wait_for(0s), std::future_status::timeout);
  may_take = true;
  run.control->resume();
  ASSERT_EQ(run.outcome.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(run.outcome.get().status, 200);
  EXPECT_EQ(received, "held");
}

TEST(AsyncHttpClient, CancelEndsAPausedStream) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, "never taken"}; });
  AsyncHttpClient client;
  StreamRun run = stream(client, server.url(), [](long, std::string_view) {
    return AsyncHttpClient::PieceAction::Pause;
  });
  std::this_thread::sleep_for(100ms);
  run.control->cancel();
  ASSERT_EQ(run.outcome.wait_for(5s), std::future_status::ready);
  const HttpOutcome outcome = run.outcome.get();
  EXPECT_EQ(outcome.status, 0);
  EXPECT_NE(outcome.error.find("cancelled"), std::string::npos) << outcome.error;
  run.control->cancel();  // after the end: nothing happens
}

TEST(AsyncHttpClient, OnPieceMayStopTheStream) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, "stop here"}; });
  AsyncHttpClient client;
  StreamRun run = stream(client, server.url(),
                         [](long, std::string_view) { return AsyncHttpClient::PieceAction::Stop; });
  ASSERT_EQ(run.outcome.wait_for(5s), std::future_status::ready);
  const HttpOutcome outcome = run.outcome.get();
  EXPECT_EQ(outcome.status, 0);
  EXPECT_NE(outcome.error.find("cancelled"), std::string::npos) << outcome.error;
}

TEST(AsyncHttpClient, StopEndsWaitingRequestsAndRefusesNewOnes) {
  AsyncHttpClient client;
  std::promise<HttpOutcome> waiting;
  client.send(
      {.url = "http://127.0.0.1:1/"},
      [&](HttpOutcome outcome) { waiting.set_value(std::move(outcome)); }, Clock::now() + 60s);
  const auto started = Clock::now();
  client.stop();
  EXPECT_LT(Clock::now() - started, 2s);
  auto future = waiting.get_future();
  ASSERT_EQ(future.wait_for(0s), std::future_status::ready);
  const HttpOutcome outcome = future.get();
  EXPECT_EQ(outcome.status, 0);
  EXPECT_NE(outcome.error.find("shutting down"), std::string::npos);

  bool refused = false;
  client.send({.url = "http://127.0.0.1:1/"}, [&](HttpOutcome late) {
    refused = late.error.find("shutting down") != std::string::npos;
  });
  EXPECT_TRUE(refused);
}

}  // namespace
}  // namespace nearhub::util
