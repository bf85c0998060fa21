#include "http/request.h"

#include <gtest/gtest.h>

#include "http/response.h"
#include "http/sse.h"

namespace nearhub::http {
namespace {

TEST(HeadersTest, NamesCompareCaseInsensitively) {
  Headers headers;
  headers.add("Content-Type", "text/plain");
  headers.add("X-A", "1");
  headers.add("x-a", "2");
  EXPECT_EQ(headers.get("content-type"), "text/plain");
  EXPECT_EQ(headers.get("X-a"), "1");
  EXPECT_FALSE(headers.get("missing"));
  headers.set("X-A", "3");
  EXPECT_EQ(headers.get("x-a"), "3");
  EXPECT_EQ(headers.all().size(), 2u);
}

TEST(RequestTest, QueryParametersAreDecoded) {
  Request request;
  request.query_string = "q=a+b%20c&empty=&flag&q=second&%6Bey=v%2B";
  EXPECT_EQ(request.query("q"), "a b c");
  EXPECT_EQ(request.query("empty"), "");
  EXPECT_EQ(request.query("flag"), "");
  EXPECT_EQ(request.query("key"), "v+");
  EXPECT_FALSE(request.query("missing"));
  auto all = request.query_params();
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[3], (std::pair<std::string, std::string>{"q", "second"}));
}

TEST(RequestTest, CookiesArePercentDecoded) {
  Request request;
  request.headers.add("Cookie", "theme=dark; auth=%7B%22account_id%22%3A%22a.near%22%7D");
  request.headers.add("cookie", "quoted=\"x%20y\"; plus=a+b");
  EXPECT_EQ(request.cookie("auth"), R"({"account_id":"a.near"})");
  EXPECT_EQ(request.cookie("theme"), "dark");
  EXPECT_EQ(request.cookie("quoted"), "x y");
  EXPECT_EQ(request.cookie("plus"), "a+b");  // '+' is literal in cookies
  EXPECT_FALSE(request.cookie("missing"));
}

TEST(RequestTest, LastCookieOfANameWins) {
  Request request;
  request.headers.add("Cookie", "a=1;a=2");
  EXPECT_EQ(request.cookie("a"), "2");
}

TEST(ResponseTest, Constructors) {
  auto json = Response::json_text(201, R"({"a":1})");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.headers.get("content-type"), "application/json");
  EXPECT_EQ(json.body, R"({"a":1})");
  auto stream = Response::event_stream([](std::shared_ptr<SseWriter>) {});
  EXPECT_EQ(stream.status, 200);
  EXPECT_TRUE(stream.stream);
  EXPECT_EQ(stream.headers.get("content-type"), "text/event-stream; charset=utf-8");
}

class RecordingWriter : public SseWriter {
 public:
  bool write(std::string bytes) override {
    written += bytes;
    return true;
  }
  void close() override {}
  bool is_closed() const override { return false; }
  void on_close(std::function<void()>) override {}
  std::string written;
};

TEST(SseWriterTest, FramesDataAndComments) {
  RecordingWriter writer;
  EXPECT_TRUE(writer.send_data(R"({"x":1})"));
  EXPECT_TRUE(writer.send_comment("keep-alive"));
  EXPECT_EQ(writer.written, "data: {\"x\":1}\n\n: keep-alive\n\n");
}

}  // namespace
}  // namespace nearhub::http
