#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inference/sse_parser.h"

namespace nearhub::inference {
namespace {

std::vector<std::string> parse_in_pieces(const std::string& text, std::size_t piece) {
  SseParser parser;
  std::vector<std::string> events;
  auto collect = [&](const std::string& data) { events.push_back(data); };
  for (std::size_t i = 0; i < text.size(); i += piece) {
    parser.feed(std::string_view(text).substr(i, piece), collect);
  }
  parser.finish(collect);
  return events;
}

TEST(SseParser, EventsSurviveAnySplit) {
  const std::string text =
      "data: {\"a\":1}\n\n: heartbeat\n\nevent: x\ndata: {\"b\":\"\xc3\xa9\"}\r\n\r\n"
      "data: line1\ndata: line2\n\ndata: [DONE]\n\n";
  const std::vector<std::string> expected = {"{\"a\":1}", "{\"b\":\"\xc3\xa9\"}", "line1\nline2",
                                             "[DONE]"};
  for (std::size_t piece = 1; piece <= text.size(); ++piece) {
    EXPECT_EQ(parse_in_pieces(text, piece), expected) << "piece size " << piece;
  }
}

TEST(SseParser, CarriageReturnOnlyLinesAndDataWithoutSpace) {
  EXPECT_EQ(parse_in_pieces("data:x\r\rdata: y\r\r", 3), (std::vector<std::string>{"x", "y"}));
}

TEST(SseParser, UnterminatedLastEventIsDeliveredAtFinish) {
  EXPECT_EQ(parse_in_pieces("data: a\n\ndata: b", 4), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parse_in_pieces(": only a comment\n\n", 2), std::vector<std::string>{});
}

}  // namespace
}  // namespace nearhub::inference
