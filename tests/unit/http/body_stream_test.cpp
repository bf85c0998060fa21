// Streamed request bodies (spooled to disk) and response bodies (Response::body_source) over
// real loopback connections.

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "http/server.h"
#include "unit/http/raw_client.h"
#include "unit/http/stream_support.h"
#include "util/file_byte_source.h"

namespace nearhub::http {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::hash_of;
using testing::pattern;
using testing::RawClient;
using testing::SourceStats;
using testing::TempDir;

constexpr std::size_t kSpoolLimit = 32 * 1024 * 1024;

// /spool* bodies are spooled (limit 32 MiB) and answered with "<size> <hash> <body bytes>";
// /download?size=N[&unknown][&fail=K] answers N pattern bytes from a PatternSource.
class StreamHandler : public Handler {
 public:
  std::size_t body_limit(const Request& head) const override {
    return head.path.starts_with("/spool") ? kSpoolLimit : 1024;
  }
  bool spool_body(const Request& head) const override { return head.path.starts_with("/spool"); }

  Response handle(Request& request) override {
    if (request.path.starts_with("/spool")) {
      std::string size = "none";
      std::string hash = "none";
      if (request.spooled_body) {
        std::lock_guard lock(mutex);
        spool_paths.push_back(request.spooled_body->path());
        util::FileByteSource file(request.spooled_body->path());
        testing::Hash digest;
        char buffer[65536];
        while (std::size_t got = file.read(buffer, sizeof buffer)) {
          digest.add(std::string_view(buffer, got));
        }
        size = std::to_string(request.spooled_body->size());
        hash = std::to_string(digest.value());
      }
      return Response::make(200, "text/plain",
                            size + " " + hash + " " + std::to_string(request.body.size()));
    }
    if (request.path == "/download") {
      auto size = std::stoull(request.query("size").value_or("0"));
      auto fail = request.query("fail");
      Response response;
      response.headers.add("content-type", "application/octet-stream");
      response.body_source =
          std::make_shared<testing::PatternSource>(size, !request.query("unknown").has_value(),
                                                   stats, fail ? std::stoull(*fail) : UINT64_MAX);
      return response;
    }
    return Response::make(200, "text/plain", "plain");
  }

  std::mutex mutex;
  std::vector<std::filesystem::path> spool_paths;
  std::shared_ptr<SourceStats> stats = std::make_shared<SourceStats>();
};

class BodyStreamTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.access_log = false;
    options.worker_threads = 2;
    options.spool_dir = spool.path().string();
    server = std::make_unique<Server>(std::move(options), handler);
    server->start();
  }
  void TearDown() override {
    if (server) server->stop();
  }
  std::string post(const std::string& path, const std::string& body) {
    return "POST " + path +
           " HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body;
  }

  TempDir spool;
  StreamHandler handler;
  std::unique_ptr<Server> server;
};

TEST_F(BodyStreamTest, SpooledBodyArrivesWholeOnDiskAndIsRemovedAfterwards) {
  start();
  const std::string body = pattern(20 * 1024 * 1024);
  RawClient client(server->port(), 10000);
  auto response = client.request(post("/spool", body));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body,
            std::to_string(body.size()) + " " + std::to_string(hash_of(body)) + " 0");
  ASSERT_EQ(handler.spool_paths.size(), 1u);
  EXPECT_EQ(handler.spool_paths[0].parent_path(), spool.path());
  EXPECT_TRUE(eventually([&] { return spool.file_count() == 0; }));
  // The connection stays usable.
  auto next = client.request("GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "plain");
}

TEST_F(BodyStreamTest, ChunkedBodyIsSpooled) {
  start();
  RawClient client(server->port());
  auto response = client.request(
      "POST /spool HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "5 " + std::to_string(hash_of("abcde")) + " 0");
}

TEST_F(BodyStreamTest, EmptyBodyHasNoSpoolFile) {
  start();
  RawClient client(server->port());
  auto response = client.request(post("/spool", ""));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "none none 0");
}

TEST_F(BodyStreamTest, OtherRoutesKeepTheBodyInMemory) {
  start();
  RawClient client(server->port());
  auto response = client.request(post("/other", "hello"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "plain");
  EXPECT_EQ(spool.file_count(), 0u);
}

TEST_F(BodyStreamTest, ChunkedBodyOverTheLimitGets413AndLeavesNoFile) {
  start();
  RawClient client(server->port(), 10000);
  // No Content-Length: the limit can only be noticed while spooling.
  client.send("POST /spool HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
  // Sent from another thread while this one waits for the answer: once the server has answered
  // it stops reading, and a reset could otherwise discard the answer before it is read.
  std::thread sender([&] {
    const std::string piece = "100000\r\n" + pattern(1024 * 1024) + "\r\n";
    try {
      for (int i = 0; i < 40; ++i) client.send(piece);
    } catch (const std::runtime_error&) {
    }
  });
  auto response = client.read_response();
  sender.join();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->body, R"({"detail":"Request body too large"})");
  EXPECT_TRUE(eventually([&] { return spool.file_count() == 0; }));
  EXPECT_TRUE(handler.spool_paths.empty());
}

TEST_F(BodyStreamTest, ContentLengthOverTheLimitGets413BeforeSpooling) {
  start();
  RawClient client(server->port());
  auto response = client.request("POST /spool HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                                 std::to_string(kSpoolLimit + 1) + "\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(spool.file_count(), 0u);
}

TEST_F(BodyStreamTest, ClientLeavingMidBodyLeavesNoFile) {
  start();
  {
    RawClient client(server->port());
    client.send("POST /spool HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n" +
                pattern(3 * 1024 * 1024));
    EXPECT_TRUE(eventually([&] { return spool.file_count() == 1; }));
  }
  EXPECT_TRUE(eventually([&] { return spool.file_count() == 0; }));
  EXPECT_TRUE(handler.spool_paths.empty());
}

TEST_F(BodyStreamTest, SlowBodyGets408AndLeavesNoFile) {
  ServerOptions options;
  options.body_timeout = 300ms;
  start(options);
  RawClient client(server->port());
  client.send("POST /spool HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\nonly a bit");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 408);
  EXPECT_TRUE(eventually([&] { return spool.file_count() == 0; }));
}

TEST_F(BodyStreamTest, DownloadWithKnownSizeHasContentLengthAndArrivesExactly) {
  start();
  constexpr std::uint64_t kSize = 64ull * 1024 * 1024;
  RawClient client(server->port(), 10000);
  auto response = client.request("GET /download?size=" + std::to_string(kSize) +
                                 " HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("content-length"), std::to_string(kSize));
  EXPECT_EQ(response->header("content-type"), "application/octet-stream");
  EXPECT_EQ(response->header("transfer-encoding"), "");
  ASSERT_EQ(response->body.size(), kSize);
  EXPECT_EQ(hash_of(response->body), hash_of(pattern(kSize)));
  EXPECT_TRUE(eventually([&] { return handler.stats->destroyed.load(); }));
  // Keep-alive still works after a streamed body.
  auto next = client.request("GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "plain");
}

TEST_F(BodyStreamTest, DownloadWithoutSizeIsChunked) {
  start();
  constexpr std::uint64_t kSize = 3 * 1024 * 1024 + 17;
  RawClient client(server->port(), 10000);
  auto response = client.request("GET /download?unknown&size=" + std::to_string(kSize) +
                                 " HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("transfer-encoding"), "chunked");
  EXPECT_EQ(response->header("content-length"), "");
  EXPECT_EQ(hash_of(response->body), hash_of(pattern(kSize)));
  auto next = client.request("GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "plain");
}

TEST_F(BodyStreamTest, DownloadWithoutSizeToHttp10EndsWithTheConnection) {
  start();
  RawClient client(server->port());
  client.send("GET /download?unknown&size=100000 HTTP/1.0\r\n\r\n");
  auto head = client.read_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->header("transfer-encoding"), "");
  EXPECT_EQ(head->header("content-length"), "");
  EXPECT_EQ(head->header("connection"), "close");
  EXPECT_EQ(client.read_to_end(), pattern(100000));
}

TEST_F(BodyStreamTest, SlowClientHoldsBackTheReads) {
  start();
  constexpr std::uint64_t kSize = 64ull * 1024 * 1024;
  RawClient client(server->port(), 10000, 64 * 1024);
  client.send("GET /download?size=" + std::to_string(kSize) + " HTTP/1.1\r\nHost: t\r\n\r\n");
  auto head = client.read_head();
  ASSERT_TRUE(head);
  // The client reads nothing more: the server may fill the socket buffers, nothing beyond.
  std::this_thread::sleep_for(500ms);
  std::uint64_t read_while_stalled = handler.stats->bytes_read;
  EXPECT_GT(read_while_stalled, 0u);
  EXPECT_LT(read_while_stalled, 8ull * 1024 * 1024);
  // Then it reads slowly, 1 MiB at a time: the reads stay just ahead of what it received.
  std::uint64_t received = 0;
  testing::Hash digest;
  for (int i = 0; i < 8; ++i) {
    auto piece = client.read_exact(1024 * 1024);
    ASSERT_TRUE(piece);
    digest.add(*piece);
    received += piece->size();
    std::this_thread::sleep_for(20ms);
    EXPECT_LT(handler.stats->bytes_read - received, 8ull * 1024 * 1024);
  }
  auto rest = client.read_exact(kSize - received);
  ASSERT_TRUE(rest);
  digest.add(*rest);
  EXPECT_EQ(digest.value(), hash_of(pattern(kSize)));
}

TEST_F(BodyStreamTest, ClientLeavingMidDownloadStopsTheReadsAndDestroysTheSource) {
  start();
  {
    RawClient client(server->port(), 10000, 64 * 1024);
    client.send("GET /download?unknown&size=10000000000 HTTP/1.1\r\nHost: t\r\n\r\n");
    ASSERT_TRUE(client.read_head());
    ASSERT_TRUE(client.read_exact(1024 * 1024));
  }
  EXPECT_TRUE(eventually([&] { return handler.stats->destroyed.load(); }));
  std::uint64_t read = handler.stats->bytes_read;
  EXPECT_LT(read, 16ull * 1024 * 1024);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(handler.stats->bytes_read, read);
}

TEST_F(BodyStreamTest, ShutdownEndsADownloadAndDestroysTheSource) {
  ServerOptions options;
  options.shutdown_grace = 200ms;
  start(options);
  RawClient client(server->port(), 10000, 64 * 1024);
  client.send("GET /download?size=10000000000 HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(client.read_head());
  server->stop();
  EXPECT_TRUE(eventually([&] { return handler.stats->destroyed.load(); }));
}

TEST_F(BodyStreamTest, HeadSendsOnlyTheHeadAndReadsNothing) {
  start();
  RawClient client(server->port());
  auto head = client.request("HEAD /download?size=5000000 HTTP/1.1\r\nHost: t\r\n\r\n", true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-length"), "5000000");
  auto next = client.request("GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "plain");
  EXPECT_TRUE(eventually([&] { return handler.stats->destroyed.load(); }));
  EXPECT_EQ(handler.stats->reads, 0);
}

TEST_F(BodyStreamTest, FailingSourceCutsTheResponseShort) {
  start();
  RawClient client(server->port());
  client.send("GET /download?size=1000000&fail=200000 HTTP/1.1\r\nHost: t\r\n\r\n");
  auto head = client.read_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->header("content-length"), "1000000");
  std::string body = client.read_to_end();
  EXPECT_LT(body.size(), 1000000u);
  EXPECT_EQ(body, pattern(body.size()));
  EXPECT_TRUE(eventually([&] { return handler.stats->destroyed.load(); }));
}

}  // namespace
}  // namespace nearhub::http
