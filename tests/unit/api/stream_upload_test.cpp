// Route::stream_upload through the real server: the multipart body is spooled to disk, text
// fields are validated like a form, file parts are read back from the spool file.

#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "api/dispatcher.h"
#include "api/error.h"
#include "http/server.h"
#include "unit/http/raw_client.h"
#include "unit/http/stream_support.h"

namespace nearhub::api {
namespace {

using http::testing::eventually;
using http::testing::hash_of;
using http::testing::pattern;
using http::testing::RawClient;
using http::testing::TempDir;

constexpr std::size_t kUploadLimit = 80 * 1024 * 1024;
constexpr std::string_view kBoundary = "----nearhubtestboundary7MA4YWxk";

// A route that requires a token gets one from an `Authorization: ok` header.
class HeaderAuthentication : public Authenticator {
 public:
  std::optional<Identity> authenticate(const http::Request& request, AuthPolicy policy) override {
    if (policy != AuthPolicy::Required) return std::nullopt;
    if (request.headers.get("Authorization") != "ok") throw Error::http(401, "no token");
    return Identity{.account_id = "alice.near"};
  }
};

struct Part {
  std::string name;
  std::string content;
  std::optional<std::string> filename;
  std::string content_type;
};

std::string multipart(const std::vector<Part>& parts) {
  std::string body;
  for (const Part& part : parts) {
    body += "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
            part.name + "\"";
    if (part.filename) body += "; filename=\"" + *part.filename + "\"";
    body += "\r\n";
    if (!part.content_type.empty()) body += "Content-Type: " + part.content_type + "\r\n";
    body += "\r\n" + part.content + "\r\n";
  }
  return body + "--" + std::string(kBoundary) + "--\r\n";
}

std::string post(const std::string& body) {
  return "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=" +
         std::string(kBoundary) + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

class StreamUploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Route route;
    route.method = "POST";
    route.path = "/upload";
    route.auth = AuthPolicy::None;
    route.body_kind = BodyKind::Multipart;
    route.stream_upload = true;
    route.max_body_bytes = kUploadLimit;
    route.body_schema = {{"type", "object"},
                         {"properties",
                          {{"path", {{"type", "string"}, {"minLength", 1}}},
                           {"file", {{"type", "string"}, {"format", "binary"}}},
                           {"extra", {{"type", "string"}, {"format", "binary"}}}}},
                         {"required", {"path", "file"}}};
    route.handler = [this](Call& call) {
      nlohmann::ordered_json out;
      out["body"] = call.body;
      out["request_body_bytes"] = call.request.body.size();
      nlohmann::ordered_json files = nlohmann::ordered_json::object();
      for (auto& [name, upload] : call.uploads) {
        auto source = upload.open();
        http::testing::Hash digest;
        std::string buffer(65536, '\0');
        std::uint64_t read = 0;
        while (std::size_t got = source->read(buffer.data(), buffer.size())) {
          digest.add(std::string_view(buffer.data(), got));
          read += got;
        }
        files[name] = {{"filename", upload.filename},
                       {"content_type", upload.content_type},
                       {"size", upload.size},
                       {"read", read},
                       {"source_size", source->size().value_or(0)},
                       {"hash", std::to_string(digest.value())}};
      }
      out["files"] = files;
      return json(out);
    };
    table.add(route);
    route.path = "/guarded-upload";
    route.auth = AuthPolicy::Required;
    table.add(route);
    dispatcher = std::make_unique<Dispatcher>(table, authentication, 1024 * 1024);

    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.access_log = false;
    options.worker_threads = 2;
    options.spool_dir = spool.path().string();
    server = std::make_unique<http::Server>(options, *dispatcher);
    server->start();
  }
  void TearDown() override { server->stop(); }

  nlohmann::json send(const std::string& request, int expected_status) {
    RawClient client(server->port(), 20000);
    auto response = client.request(request);
    EXPECT_TRUE(response);
    if (!response) return nullptr;
    EXPECT_EQ(response->status, expected_status) << response->body;
    return nlohmann::json::parse(response->body, nullptr, false);
  }

  TempDir spool;
  RouteTable table;
  HeaderAuthentication authentication;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<http::Server> server;
};

TEST_F(StreamUploadTest, LargeFileArrivesByteExactWithoutTheBodyInMemory) {
  const std::string file = pattern(64 * 1024 * 1024);
  auto answer = send(post(multipart({{"path", "models/x.bin"},
                                     {"file", file, "x.bin", "application/octet-stream"}})),
                     200);
  EXPECT_EQ(answer["body"], nlohmann::json({{"path", "models/x.bin"}}));
  EXPECT_EQ(answer["request_body_bytes"], 0);
  const auto& info = answer["files"]["file"];
  EXPECT_EQ(info["filename"], "x.bin");
  EXPECT_EQ(info["content_type"], "application/octet-stream");
  EXPECT_EQ(info["size"], file.size());
  EXPECT_EQ(info["read"], file.size());
  EXPECT_EQ(info["source_size"], file.size());
  EXPECT_EQ(info["hash"], std::to_string(hash_of(file)));
  EXPECT_TRUE(eventually([&] { return spool.file_count() == 0; }));
}

TEST_F(StreamUploadTest, SeveralFilePartsEachGetTheirOwnRange) {
  // The first file's data contains the start of a boundary line to make the ranges tricky.
  const std::string first = "a\r\n--" + std::string(kBoundary.substr(0, 10)) + pattern(1000);
  const std::string second = pattern(300, 77);
  auto answer = send(post(multipart({{"file", first, "one.txt", ""},
                                     {"path", "p"},
                                     {"extra", second, "two.bin", "image/png"}})),
                     200);
  EXPECT_EQ(answer["files"]["file"]["hash"], std::to_string(hash_of(first)));
  EXPECT_EQ(answer["files"]["file"]["content_type"], "");
  EXPECT_EQ(answer["files"]["extra"]["hash"], std::to_string(hash_of(second)));
  EXPECT_EQ(answer["files"]["extra"]["size"], second.size());
  EXPECT_EQ(answer["body"], nlohmann::json({{"path", "p"}}));
}

TEST_F(StreamUploadTest, EmptyFilePartIsAnEmptyUpload) {
  auto answer = send(post(multipart({{"path", "p"}, {"file", "", "empty.txt", ""}})), 200);
  EXPECT_EQ(answer["files"]["file"]["size"], 0);
  EXPECT_EQ(answer["files"]["file"]["read"], 0);
}

TEST_F(StreamUploadTest, MissingTextFieldIs422) {
  auto answer = send(post(multipart({{"file", "data", "f.bin", ""}})), 422);
  ASSERT_TRUE(answer.is_object());
  EXPECT_EQ(answer["status_code"], 422);
  const std::string message = answer["message"];
  EXPECT_NE(message.find("'type': 'missing', 'loc': ('body', 'path')"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("'file'),"), std::string::npos) << message;
}

TEST_F(StreamUploadTest, InvalidTextFieldIs422) {
  auto answer = send(post(multipart({{"path", ""}, {"file", "data", "f.bin", ""}})), 422);
  const std::string message = answer["message"];
  EXPECT_NE(message.find("string_too_short"), std::string::npos) << message;
}

TEST_F(StreamUploadTest, MissingFilePartIs422) {
  auto answer = send(post(multipart({{"path", "p"}})), 422);
  const std::string message = answer["message"];
  EXPECT_NE(message.find("'type': 'missing', 'loc': ('body', 'file')"), std::string::npos)
      << message;
}

TEST_F(StreamUploadTest, TextPartInPlaceOfTheFileIs422) {
  auto answer = send(post(multipart({{"path", "p"}, {"file", "not a file"}})), 422);
  const std::string message = answer["message"];
  EXPECT_NE(message.find("'type': 'missing', 'loc': ('body', 'file')"), std::string::npos)
      << message;
}

TEST_F(StreamUploadTest, BodyThatIsNotMultipartMissesEveryField) {
  auto answer = send(
      "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Content-Length: 2\r\n\r\n{}",
      422);
  const std::string message = answer["message"];
  EXPECT_NE(message.find("('body', 'path')"), std::string::npos) << message;
  EXPECT_NE(message.find("('body', 'file')"), std::string::npos) << message;
}

TEST_F(StreamUploadTest, MalformedMultipartIs400) {
  std::string body = multipart({{"path", "p"}, {"file", "data", "f.bin", ""}});
  body.resize(body.size() - 10);  // no closing boundary
  auto answer = send(post(body), 400);
  ASSERT_TRUE(answer.is_object());
  EXPECT_NE(answer["detail"].get<std::string>().find("malformed multipart body"),
            std::string::npos);
  EXPECT_TRUE(eventually([&] { return spool.file_count() == 0; }));
}

TEST_F(StreamUploadTest, AnUploadWithoutItsTokenIsRefusedBeforeItsBody) {
  RawClient client(server->port(), 5000);
  // Fifty megabytes announced, none sent: the answer must not wait for them.
  client.send(
      "POST /guarded-upload HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
      "boundary=" +
      std::string(kBoundary) + "\r\nContent-Length: 50000000\r\n\r\n");
  auto refused = client.read_response();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->body, R"({"detail":"no token"})");
  EXPECT_EQ(spool.file_count(), 0u);
  // With its token the same route takes the upload.
  std::string request = post(multipart({{"path", "p"}, {"file", "bytes", "a.bin", ""}}));
  request.replace(request.find("/upload"), 7, "/guarded-upload");
  request.insert(request.find("\r\n") + 2, "Authorization: ok\r\n");
  const nlohmann::json accepted = send(request, 200);
  EXPECT_EQ(accepted["files"]["file"]["size"], 5);
}

TEST_F(StreamUploadTest, UploadOverTheRouteLimitIs413AndLeavesNoFile) {
  const std::string body =
      multipart({{"path", "p"}, {"file", pattern(kUploadLimit + 1), "big.bin", ""}});
  RawClient client(server->port(), 20000);
  // Chunked, so that the limit is only found while spooling.
  std::string request =
      "POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Type: "
      "multipart/form-data; boundary=" +
      std::string(kBoundary) + "\r\n\r\n";
  client.send(request);
  // Sent from another thread while this one waits for the answer: once the server has answered
  // it stops reading, and a reset could otherwise discard the answer before it is read.
  std::thread sender([&] {
    try {
      for (std::size_t at = 0; at < body.size(); at += 1024 * 1024) {
        std::string piece = body.substr(at, 1024 * 1024);
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
        client.send(size + piece + "\r\n");
      }
      client.send("0\r\n\r\n");
    } catch (const std::runtime_error&) {
    }
  });
  auto response = client.read_response();
  sender.join();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(eventually([&] { return spool.file_count() == 0; }));
}

}  // namespace
}  // namespace nearhub::api
