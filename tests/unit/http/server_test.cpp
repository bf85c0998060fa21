#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "http/sse.h"
#include "unit/http/raw_client.h"

namespace nearhub::http {
namespace {

using namespace std::chrono_literals;
using testing::RawClient;

// Answers by path: /slow sleeps, /small accepts 10 body bytes, /stream hands its writer to the
// test, /later hands its Respond to the test (/later-dropped drops it), anything else echoes
// what the server filled in.
class TestHandler : public Handler {
 public:
  std::size_t body_limit(const Request& head) const override {
    return head.path == "/small" ? 10 : 1024 * 1024;
  }

  Response handle(Request& request) override {
    ++calls;
    if (request.path == "/slow") {
      std::this_thread::sleep_for(300ms);
      return Response::make(200, "text/plain", "slow done");
    }
    if (request.path == "/stream") {
      return Response::event_stream(
          [this](std::shared_ptr<SseWriter> writer) { writer_promise.set_value(writer); });
    }
    if (request.path == "/later") {
      return Response::later([this, query = request.query_string](Respond respond) {
        std::lock_guard lock(later_mutex);
        later.emplace_back(query, std::move(respond));
        later_changed.notify_all();
      });
    }
    if (request.path == "/later-dropped") return Response::later([](Respond) {});
    if (request.path == "/boom") throw std::runtime_error("boom");
    if (request.path == "/fixed") return Response::make(200, "text/plain", "fixed body");
    return Response::make(200, "text/plain",
                          request.method + " " + request.path + " q=" + request.query_string +
                              " body=" + request.body + " remote=" + request.remote_address);
  }

  // Waits until `count` /later requests are waiting for their answer.
  bool wait_for_later(std::size_t count) {
    std::unique_lock lock(later_mutex);
    return later_changed.wait_for(lock, 2s, [&] { return later.size() >= count; });
  }

  std::atomic<int> calls{0};
  std::promise<std::shared_ptr<SseWriter>> writer_promise;
  std::mutex later_mutex;
  std::condition_variable later_changed;
  std::vector<std::pair<std::string, Respond>> later;  // query string, Respond
};

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.access_log = false;
    options.worker_threads = 2;
    server = std::make_unique<Server>(std::move(options), handler);
    server->start();
  }
  void TearDown() override {
    if (server) server->stop();
  }

  TestHandler handler;
  std::unique_ptr<Server> server;
};

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  start();
  RawClient client(server->port());
  auto first = client.request("GET /a%20b?x=1 HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "GET /a b q=x=1 body= remote=127.0.0.1");
  EXPECT_EQ(first->header("content-type"), "text/plain");
  EXPECT_TRUE(first->headers.count("date"));
  auto second = client.request("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "POST /p q= body=hello remote=127.0.0.1");
}

TEST_F(ServerTest, ChunkedRequestBodyIsDecoded) {
  start();
  RawClient client(server->port());
  auto response = client.request(
      "POST /p HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "POST /p q= body=abcde remote=127.0.0.1");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  start();
  RawClient client(server->port());
  auto response = client.request("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, HeadSendsContentLengthWithoutBody) {
  start();
  RawClient client(server->port());
  auto get = client.request("GET /fixed HTTP/1.1\r\nHost: t\r\n\r\n");
  auto head = client.request("HEAD /fixed HTTP/1.1\r\nHost: t\r\n\r\n", true);
  ASSERT_TRUE(get && head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(std::stoul(head->header("content-length")), get->body.size());
  // No stray body bytes: the next response parses cleanly.
  auto next = client.request("GET /n HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(ServerTest, OversizedHeaderGets431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  start(options);
  RawClient client(server->port());
  auto response =
      client.request("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(response->body, R"({"detail":"Request header fields too large"})");
  EXPECT_EQ(response->header("connection"), "close");
}

TEST_F(ServerTest, BodyOverTheHandlersLimitGets413) {
  start();
  RawClient client(server->port());
  auto response = client.request("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n" +
                                 std::string(100, 'x'));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->body, R"({"detail":"Request body too large"})");
  EXPECT_EQ(handler.calls, 0);

  RawClient fits(server->port());
  auto ok = fits.request("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitGets413) {
  start();
  RawClient client(server->port());
  auto response = client.request(
      "POST /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n"
      "8\r\n01234567\r\n0\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST_F(ServerTest, SlowHeaderGets408) {
  ServerOptions options;
  options.header_timeout = 200ms;
  start(options);
  RawClient client(server->port());
  client.send("GET / HTTP/1.1\r\nHost: t\r\n");
  auto started = std::chrono::steady_clock::now();
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 408);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, SilentConnectionIsClosedWithoutResponse) {
  ServerOptions options;
  options.header_timeout = 150ms;
  start(options);
  RawClient client(server->port());
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, MalformedRequestGets400) {
  start();
  RawClient client(server->port());
  auto response = client.request("NOT HTTP AT ALL\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->body, R"({"detail":"Bad request"})");
}

TEST_F(ServerTest, HandlerExceptionGives500) {
  start();
  RawClient client(server->port());
  auto response = client.request("GET /boom HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body, "Internal Server Error");
}

TEST_F(ServerTest, RequestIdIsEchoedWhenSaneAndGeneratedOtherwise) {
  start();
  RawClient client(server->port());
  auto echoed = client.request("GET / HTTP/1.1\r\nHost: t\r\nX-Request-ID: abc-123\r\n\r\n");
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->header("x-request-id"), "abc-123");

  auto generated = client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(generated);
  EXPECT_EQ(generated->header("x-request-id").size(), 32u);

  auto too_long = client.request(
      "GET / HTTP/1.1\r\nHost: t\r\nX-Request-ID: " + std::string(200, 'a') + "\r\n\r\n");
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->header("x-request-id").size(), 32u);
}

TEST_F(ServerTest, PreflightIsAnsweredWithoutTheHandler) {
  ServerOptions options;
  options.cors_credential_origins = {"https://app.example"};
  start(options);
  RawClient client(server->port());
  auto listed = client.request(
      "OPTIONS /v1/x HTTP/1.1\r\nHost: t\r\nOrigin: https://app.example\r\n"
      "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: "
      "authorization\r\n\r\n");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200);
  EXPECT_EQ(listed->header("access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(listed->header("access-control-allow-credentials"), "true");
  EXPECT_EQ(listed->header("access-control-allow-methods"),
            "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
  EXPECT_EQ(listed->header("access-control-allow-headers"), "authorization");
  EXPECT_EQ(listed->header("access-control-max-age"), "600");

  auto unlisted = client.request(
      "OPTIONS /v1/x HTTP/1.1\r\nHost: t\r\nOrigin: https://evil.example\r\n"
      "Access-Control-Request-Method: GET\r\n\r\n");
  ASSERT_TRUE(unlisted);
  EXPECT_EQ(unlisted->header("access-control-allow-origin"), "*");
  EXPECT_FALSE(unlisted->headers.count("access-control-allow-credentials"));
  EXPECT_EQ(handler.calls, 0);
}

TEST_F(ServerTest, SimpleResponsesCarryAllowOrigin) {
  ServerOptions options;
  options.cors_credential_origins = {"https://app.example"};
  start(options);
  RawClient client(server->port());
  auto listed = client.request("GET / HTTP/1.1\r\nHost: t\r\nOrigin: https://app.example\r\n\r\n");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->header("access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(listed->header("access-control-allow-credentials"), "true");
  auto unlisted =
      client.request("GET / HTTP/1.1\r\nHost: t\r\nOrigin: https://evil.example\r\n\r\n");
  ASSERT_TRUE(unlisted);
  EXPECT_EQ(unlisted->header("access-control-allow-origin"), "*");
  EXPECT_FALSE(unlisted->headers.count("access-control-allow-credentials"));
  auto no_origin = client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(no_origin);
  EXPECT_FALSE(no_origin->headers.count("access-control-allow-origin"));
}

TEST_F(ServerTest, EventsWrittenFromAnotherThreadArriveIncrementally) {
  start();
  RawClient client(server->port());
  client.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
  auto head = client.read_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-type"), "text/event-stream; charset=utf-8");
  EXPECT_EQ(head->header("cache-control"), "no-cache");
  EXPECT_EQ(head->header("x-accel-buffering"), "no");
  EXPECT_EQ(head->header("transfer-encoding"), "chunked");

  auto future = handler.writer_promise.get_future();
  ASSERT_EQ(future.wait_for(2s), std::future_status::ready);
  std::shared_ptr<SseWriter> writer = future.get();
  std::promise<void> closed;
  writer->on_close([&] { closed.set_value(); });

  std::thread producer([writer] { writer->send_data(R"({"n":1})"); });
  producer.join();
  EXPECT_EQ(client.read_chunk(), "data: {\"n\":1}\n\n");
  writer->send_comment("ping");
  EXPECT_EQ(client.read_chunk(), ": ping\n\n");

  client.close();
  EXPECT_EQ(closed.get_future().wait_for(2s), std::future_status::ready);
  EXPECT_TRUE(writer->is_closed());
  EXPECT_FALSE(writer->send_data("late"));
}

TEST_F(ServerTest, ClosingTheWriterEndsTheChunkedBody) {
  start();
  RawClient client(server->port());
  client.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(client.read_head());
  auto writer = handler.writer_promise.get_future().get();
  std::atomic<int> on_close_runs{0};
  writer->on_close([&] { ++on_close_runs; });
  writer->send_data("a");
  writer->send_data("b");
  writer->close();
  std::string body;
  for (;;) {
    auto chunk = client.read_chunk();
    ASSERT_TRUE(chunk);
    if (chunk->empty()) break;
    body += *chunk;
  }
  EXPECT_EQ(body, "data: a\n\ndata: b\n\n");
  EXPECT_TRUE(client.closed_by_server());
  server->stop();
  EXPECT_EQ(on_close_runs, 1);
  // Registered after the end: runs at once.
  bool ran = false;
  writer->on_close([&] { ran = true; });
  EXPECT_TRUE(ran);
}

TEST_F(ServerTest, StopLetsInFlightRequestsFinish) {
  start();
  RawClient slow(server->port());
  RawClient idle(server->port());
  ASSERT_TRUE(idle.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawClient streaming(server->port());
  streaming.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(streaming.read_head());
  auto writer = handler.writer_promise.get_future().get();
  std::promise<void> stream_closed;
  writer->on_close([&] { stream_closed.set_value(); });

  slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  std::this_thread::sleep_for(50ms);
  server->stop();

  auto response = slow.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "slow done");
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_EQ(stream_closed.get_future().wait_for(0s), std::future_status::ready);
}

TEST_F(ServerTest, LaterResponsesHoldNoWorker) {
  start();  // two workers
  std::vector<std::unique_ptr<RawClient>> waiting;
  for (int i = 0; i < 4; ++i) {
    waiting.push_back(std::make_unique<RawClient>(server->port()));
    waiting.back()->send("GET /later?" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n");
  }
  ASSERT_TRUE(handler.wait_for_later(4));
  // Four answers outstanding on two workers, and the server still answers.
  RawClient other(server->port());
  auto fixed = other.request("GET /fixed HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->body, "fixed body");

  // Answered from other threads, in reverse order; a second call is ignored.
  std::vector<std::thread> producers;
  for (auto it = handler.later.rbegin(); it != handler.later.rend(); ++it) {
    producers.emplace_back([query = it->first, respond = it->second] {
      respond(Response::make(201, "text/plain", "answer " + query));
      respond(Response::make(500, "text/plain", "ignored"));
    });
  }
  for (auto& producer : producers) producer.join();
  for (int i = 0; i < 4; ++i) {
    auto response = waiting[static_cast<std::size_t>(i)]->read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 201);
    EXPECT_EQ(response->body, "answer " + std::to_string(i));
  }
  // The connection stays usable after a later response.
  auto again = waiting[0]->request("GET /fixed HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, "fixed body");
}

TEST_F(ServerTest, ALaterProducerLearnsThatItsClientLeft) {
  start();
  RawClient leaving(server->port());
  leaving.send("GET /later?leaving HTTP/1.1\r\nHost: t\r\n\r\n");
  RawClient staying(server->port());
  staying.send("GET /later?staying HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(handler.wait_for_later(2));
  std::promise<void> left;
  std::atomic<int> stayer_reported{0};
  for (auto& [query, respond] : handler.later) {
    if (query == "leaving") {
      respond.on_client_gone([&left] { left.set_value(); });
    } else {
      respond.on_client_gone([&stayer_reported] { ++stayer_reported; });
    }
  }
  leaving.close();
  EXPECT_EQ(left.get_future().wait_for(2s), std::future_status::ready);
  for (auto& [query, respond] : handler.later) {
    respond(Response::make(201, "text/plain", "answer " + query));  // to the one gone: dropped
  }
  auto response = staying.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "answer staying");
  EXPECT_EQ(stayer_reported, 0);
}

TEST_F(ServerTest, APipelinedRequestWaitsForTheLaterAnswerBeforeIt) {
  start();
  RawClient client(server->port());
  // Both requests in one write: the second arrives while the first's answer is awaited.
  client.send("GET /later?first HTTP/1.1\r\nHost: t\r\n\r\nGET /fixed HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(handler.wait_for_later(1));
  std::this_thread::sleep_for(50ms);  // the second request is read (and kept) meanwhile
  handler.later[0].second(Response::make(201, "text/plain", "answer first"));
  auto first = client.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "answer first");
  auto second = client.read_response();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "fixed body");
}

TEST_F(ServerTest, ADroppedLaterResponseGives500) {
  start();
  RawClient client(server->port());
  auto response = client.request("GET /later-dropped HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
}

TEST_F(ServerTest, StopGivesUpOnLaterResponsesAfterTheGracePeriod) {
  ServerOptions options;
  options.shutdown_grace = 200ms;
  start(options);
  RawClient client(server->port());
  client.send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(handler.wait_for_later(1));
  const auto started = std::chrono::steady_clock::now();
  server->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  // The client gets the 503 or a closed connection, never a hang; a late answer goes nowhere.
  auto response = client.read_response();
  if (response) {
    EXPECT_EQ(response->status, 503);
  }
  handler.later[0].second(Response::make(200, "text/plain", "too late"));
}

TEST_F(ServerTest, SeveralIoThreadsServeConcurrentClients) {
  ServerOptions options;
  options.io_threads = 2;
  start(options);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&] {
      RawClient client(server->port());
      for (int i = 0; i < 50; ++i) {
        auto response = client.request("GET /fixed HTTP/1.1\r\nHost: t\r\n\r\n");
        if (response && response->body == "fixed body") ++ok;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(ok, 400);
}

TEST_F(ServerTest, StartFailsClearlyWhenThePortIsTaken) {
  start();
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = server->port();
  Server second(options, handler);
  try {
    second.start();
    FAIL() << "expected start() to throw";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "cannot listen on 127.0.0.1:" + std::to_string(server->port()) +
                  ": Address already in use");
  }
}

}  // namespace
}  // namespace nearhub::http
