// HttpRunner against local HTTP servers: success, HTTP errors, a runner that hangs past the
// timeout or the run's deadline, nothing listening, the payload as received, the %PORT% pool.

#include "agents/http_runner.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include <gtest/gtest.h>

#include "unit/agents/local_http_server.h"

namespace nearhub::agents {
namespace {

using namespace std::chrono_literals;
using testing::LocalHttpServer;
using Clock = std::chrono::steady_clock;

RunnerInvocation invocation(const std::string& agent = "alice.near/echo/1.0.0",
                            std::chrono::milliseconds deadline_in = 60s) {
  RunnerInvocation call;
  call.run_id = "run_1";
  call.thread_id = "thread_1";
  call.agent = agent;
  call.payload = nlohmann::ordered_json::parse(
      R"({"agents":"alice.near/echo/1.0.0","thread_id":"thread_1","run_id":"run_1",
          "auth":{"account_id":"alice.near","nonce":"1730000000000","message":"h\u00e9"},
          "params":{"record_run":true,"user_env_vars":{"Z":"1","A":"2"}}})");
  call.deadline = Clock::now() + deadline_in;
  return call;
}

// Lets a handler block until the test releases it (so that servers stop promptly).
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    released_cv_.wait_for(lock, 10s, [&] { return released_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    released_cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_cv_;
  bool released_ = false;
};

// A loopback port with nothing listening on it.
std::uint16_t refused_port() {
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(probe);
  return ntohs(address.sin_port);
}

TEST(HttpRunner, Http200IsSuccessAndThePayloadArrivesIntact) {
  LocalHttpServer runner(
      [](const http::Request&) { return http::Response::json_text(200, R"("thread_1")"); });
  const RunnerInvocation call = invocation();
  HttpRunner http_runner(runner.url() + "/2015-03-31/functions/function/invocations", 5s);
  const RunnerOutcome outcome = http_runner.run(call);
  EXPECT_TRUE(outcome.ok) << outcome.error;
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_EQ(outcome.error, "");

  const auto received = runner.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].method, "POST");
  EXPECT_EQ(received[0].target, "/2015-03-31/functions/function/invocations");
  EXPECT_EQ(received[0].content_type, "application/json");
  // Key order and non-ASCII text as built.
  EXPECT_EQ(received[0].body, call.payload.dump());
  EXPECT_NE(received[0].body.find("\"h\xc3\xa9\""), std::string::npos);
}

TEST(HttpRunner, OtherStatusesFailWithTheStartOfTheBody) {
  const std::string long_body = "boom " + std::string(300, 'x');
  LocalHttpServer runner(
      [&](const http::Request&) { return http::Response::make(500, "text/plain", long_body); });
  HttpRunner http_runner(runner.url(), 5s);
  const RunnerOutcome outcome = http_runner.run(invocation());
  EXPECT_FALSE(outcome.ok);
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_EQ(outcome.error, "runner answered HTTP 500: " + long_body.substr(0, 200));
}

TEST(HttpRunner, A201IsNotSuccessEither) {
  LocalHttpServer runner([](const http::Request&) { return http::Response::json_text(201, "{}"); });
  const RunnerOutcome outcome = HttpRunner(runner.url(), 5s).run(invocation());
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "runner answered HTTP 201: {}");
}

TEST(HttpRunner, GivesUpAtItsTimeout) {
  Gate gate;
  LocalHttpServer runner([&](const http::Request&) {
    gate.wait();
    return http::Response::json_text(200, "{}");
  });
  HttpRunner http_runner(runner.url(), 300ms);
  const auto start = Clock::now();
  const RunnerOutcome outcome = http_runner.run(invocation());
  const auto took = Clock::now() - start;
  gate.release();
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_NE(outcome.error.find("Timeout was reached"), std::string::npos) << outcome.error;
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 2s);
}

TEST(HttpRunner, GivesUpAtTheRunsDeadlineWhenItComesFirst) {
  Gate gate;
  LocalHttpServer runner([&](const http::Request&) {
    gate.wait();
    return http::Response::json_text(200, "{}");
  });
  HttpRunner http_runner(runner.url(), 600s);
  const auto start = Clock::now();
  const RunnerOutcome outcome = http_runner.run(invocation("a/b/1", 300ms));
  const auto took = Clock::now() - start;
  gate.release();
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_LT(took, 2s);
}

TEST(HttpRunner, APassedDeadlineFailsWithoutACall) {
  LocalHttpServer runner([](const http::Request&) { return http::Response::json_text(200, "{}"); });
  const RunnerOutcome outcome = HttpRunner(runner.url(), 5s).run(invocation("a/b/1", -1ms));
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_TRUE(runner.received().empty());
}

TEST(HttpRunner, RefusedConnectionFailsWithCurlsReason) {
  const std::string url = "http://127.0.0.1:" + std::to_string(refused_port()) + "/run";
  const RunnerOutcome outcome = HttpRunner(url, 5s).run(invocation());
  EXPECT_FALSE(outcome.ok);
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_NE(outcome.error.find(url), std::string::npos) << outcome.error;
  EXPECT_NE(outcome.error.find("Couldn't connect to server"), std::string::npos) << outcome.error;
}

TEST(HttpRunner, PortPlaceholderNeedsPorts) {
  EXPECT_THROW(HttpRunner("http://127.0.0.1:%PORT%/run", 5s), std::invalid_argument);
  EXPECT_NO_THROW(HttpRunner("http://127.0.0.1:9009/run", 5s));
}

TEST(HttpRunner, PortPoolIsStickyPerAgentAndReusesTheOldest) {
  HttpRunner pool("http://127.0.0.1:%PORT%/run?p=%PORT%", 5s, {9001, 9002});
  EXPECT_EQ(pool.url_for("a/one/1"), "http://127.0.0.1:9001/run?p=9001");
  EXPECT_EQ(pool.url_for("a/two/1"), "http://127.0.0.1:9002/run?p=9002");
  EXPECT_EQ(pool.url_for("a/one/1"), "http://127.0.0.1:9001/run?p=9001");
  // Exhausted: the oldest assignment (a/one/1) gives its port up...
  EXPECT_EQ(pool.url_for("a/three/1"), "http://127.0.0.1:9001/run?p=9001");
  // ...so a/one/1 now takes the oldest remaining one, a/two/1's.
  EXPECT_EQ(pool.url_for("a/one/1"), "http://127.0.0.1:9002/run?p=9002");
  EXPECT_EQ(pool.url_for("a/three/1"), "http://127.0.0.1:9001/run?p=9001");
}

TEST(HttpRunner, PortPoolSendsEachAgentToItsRunner) {
  LocalHttpServer first([](const http::Request&) { return http::Response::json_text(200, "1"); });
  LocalHttpServer second([](const http::Request&) { return http::Response::json_text(200, "2"); });
  HttpRunner pool("http://127.0.0.1:%PORT%/run", 5s, {first.port(), second.port()});
  EXPECT_TRUE(pool.run(invocation("a/one/1")).ok);
  EXPECT_TRUE(pool.run(invocation("a/two/1")).ok);
  EXPECT_TRUE(pool.run(invocation("a/one/1")).ok);
  EXPECT_EQ(first.received().size(), 2u);
  EXPECT_EQ(second.received().size(), 1u);
}

TEST(HttpRunner, ManyRunsAtOnce) {
  LocalHttpServer runner([](const http::Request&) { return http::Response::json_text(200, "{}"); });
  HttpRunner pool("http://127.0.0.1:%PORT%/run", 5s, {runner.port()});
  std::vector<std::thread> threads;
  std::atomic<int> succeeded = 0;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      if (pool.run(invocation("a/agent" + std::to_string(i) + "/1")).ok) ++succeeded;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(succeeded, 8);
  EXPECT_EQ(runner.received().size(), 8u);
}

}  // namespace
}  // namespace nearhub::agents
