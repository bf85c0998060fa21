#include "http/multipart.h"

#include <gtest/gtest.h>

#include "http/form.h"

namespace nearhub::http {
namespace {

const std::string kBoundary = "----WebKitFormBoundary7MA4YWxk";

// A body with a preamble, a field, a file whose data looks almost like a delimiter, a part
// with padding after its delimiter, and an epilogue.
std::string sample_body() {
  return "preamble to ignore\r\n"
         "--" +
         kBoundary +
         "\r\n"
         "Content-Disposition: form-data; name=\"purpose\"\r\n"
         "\r\n"
         "assistants\r\n"
         "--" +
         kBoundary +
         "\r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"notes \\\"v2\\\".txt\"\r\n"
         "Content-Type: text/plain\r\n"
         "\r\n"
         "line one\r\n--" +
         kBoundary.substr(0, 10) +
         " not a boundary\r\n\r\n"
         "--" +
         kBoundary +
         "  \r\n"
         "content-disposition: form-data; name=\"empty\"\r\n"
         "\r\n"
         "\r\n"
         "--" +
         kBoundary +
         "--\r\n"
         "epilogue to ignore";
}

struct Recorded {
  std::vector<MultipartPart> parts;
  int ends = 0;
};

Recorded parse_in_pieces(std::string_view body, const std::vector<std::size_t>& cuts,
                         MultipartLimits limits = {}) {
  Recorded recorded;
  MultipartCallbacks callbacks;
  callbacks.on_part_begin = [&](const PartInfo& info) { recorded.parts.push_back({info, {}}); };
  callbacks.on_part_data = [&](std::string_view data) { recorded.parts.back().data.append(data); };
  callbacks.on_part_end = [&] { ++recorded.ends; };
  MultipartParser parser(kBoundary, callbacks, limits);
  std::size_t start = 0;
  for (std::size_t cut : cuts) {
    parser.feed(body.substr(start, cut - start));
    start = cut;
  }
  parser.feed(body.substr(start));
  parser.finish();
  return recorded;
}

void expect_sample(const Recorded& recorded, const std::string& where) {
  SCOPED_TRACE(where);
  ASSERT_EQ(recorded.parts.size(), 3u);
  EXPECT_EQ(recorded.ends, 3);
  EXPECT_EQ(recorded.parts[0].info.name, "purpose");
  EXPECT_FALSE(recorded.parts[0].info.filename);
  EXPECT_EQ(recorded.parts[0].info.content_type, "");
  EXPECT_EQ(recorded.parts[0].data, "assistants");
  EXPECT_EQ(recorded.parts[1].info.name, "file");
  EXPECT_EQ(recorded.parts[1].info.filename, "notes \"v2\".txt");
  EXPECT_EQ(recorded.parts[1].info.content_type, "text/plain");
  EXPECT_EQ(recorded.parts[1].data,
            "line one\r\n--" + kBoundary.substr(0, 10) + " not a boundary\r\n");
  EXPECT_EQ(recorded.parts[2].info.name, "empty");
  EXPECT_EQ(recorded.parts[2].data, "");
}

TEST(MultipartTest, ParsesWholeBody) {
  auto parts = parse_multipart(sample_body(), kBoundary);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1].info.headers.get("content-type"), "text/plain");
  expect_sample(parse_in_pieces(sample_body(), {}), "whole");
}

TEST(MultipartTest, AnyTwoWaySplitGivesTheSameParts) {
  std::string body = sample_body();
  for (std::size_t cut = 0; cut <= body.size(); ++cut) {
    expect_sample(parse_in_pieces(body, {cut}), "cut at " + std::to_string(cut));
  }
}

TEST(MultipartTest, ByteByByteAndThreeWaySplits) {
  std::string body = sample_body();
  std::vector<std::size_t> every_byte;
  for (std::size_t i = 1; i < body.size(); ++i) every_byte.push_back(i);
  expect_sample(parse_in_pieces(body, every_byte), "byte by byte");
  for (std::size_t first = 0; first < body.size(); first += 7) {
    for (std::size_t second = first; second <= body.size(); second += 5) {
      expect_sample(parse_in_pieces(body, {first, second}),
                    std::to_string(first) + "," + std::to_string(second));
    }
  }
}

TEST(MultipartTest, ExtendedFilenameWins) {
  std::string body = "--" + kBoundary +
                     "\r\nContent-Disposition: form-data; name=f; filename=\"plain.txt\"; "
                     "filename*=UTF-8''%E2%82%AC%20rates.txt\r\n\r\nx\r\n--" +
                     kBoundary + "--";
  auto parts = parse_multipart(body, kBoundary);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].info.name, "f");
  EXPECT_EQ(parts[0].info.filename, "\xE2\x82\xAC rates.txt");
}

TEST(MultipartTest, NoPartsIsValid) {
  EXPECT_TRUE(parse_multipart("--" + kBoundary + "--\r\n", kBoundary).empty());
}

void expect_error(std::string_view body, bool too_large, MultipartLimits limits = {}) {
  try {
    parse_multipart(body, kBoundary, limits);
    ADD_FAILURE() << "expected MultipartError for: " << body;
  } catch (const MultipartError& error) {
    EXPECT_EQ(error.too_large(), too_large) << error.what();
    EXPECT_EQ(error.status(), too_large ? 413 : 400);
  }
}

TEST(MultipartTest, MalformedBodiesAreRejected) {
  std::string open = "--" + kBoundary + "\r\n";
  expect_error("", false);
  expect_error("no boundary here", false);
  expect_error(open + "Content-Disposition: form-data; name=a\r\n\r\nunterminated", false);
  expect_error(open + "Content-Disposition: form-data; name=a\r\n", false);
  expect_error(open + "Content-Disposition: form-data\r\n\r\nx\r\n--" + kBoundary + "--", false);
  expect_error(open + "X-Other: 1\r\n\r\nx\r\n--" + kBoundary + "--", false);
  expect_error(open + "no colon line\r\n\r\nx\r\n--" + kBoundary + "--", false);
  expect_error("--" + kBoundary + "garbage\r\n\r\n", false);
  EXPECT_THROW(MultipartParser("", {}), MultipartError);
}

TEST(MultipartTest, LimitsAreEnforced) {
  std::string field = "--" + kBoundary + "\r\nContent-Disposition: form-data; name=a\r\n\r\n" +
                      std::string(100, 'x') + "\r\n";
  std::string file = "--" + kBoundary +
                     "\r\nContent-Disposition: form-data; name=f; filename=f.bin\r\n\r\n" +
                     std::string(100, 'y') + "\r\n";
  std::string end = "--" + kBoundary + "--";

  MultipartLimits parts_limit;
  parts_limit.max_parts = 2;
  expect_error(field + field + field + end, true, parts_limit);

  MultipartLimits field_limit;
  field_limit.max_field_bytes = 150;
  expect_error(field + field + end, true, field_limit);
  // File data does not count against the field budget.
  EXPECT_EQ(parse_multipart(field + file + file + end, kBoundary, field_limit).size(), 3u);

  MultipartLimits header_limit;
  header_limit.max_part_header_bytes = 64;
  expect_error("--" + kBoundary + "\r\nContent-Disposition: form-data; name=" +
                   std::string(100, 'n') + "\r\n\r\nx\r\n" + end,
               true, header_limit);
  // An unterminated header block is caught as soon as it passes the limit.
  MultipartParser parser(kBoundary, {}, header_limit);
  EXPECT_THROW(parser.feed("--" + kBoundary + "\r\n" + std::string(200, 'h')), MultipartError);
}

TEST(MultipartTest, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b;c\""), "a b;c");
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("application/json; boundary=abc"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'b')));
}

TEST(FormTest, ParsesUrlencodedPairsInOrder) {
  auto pairs = parse_urlencoded_form("b=2&a=x+y%21&a=&flag&&%zz=%");
  ASSERT_EQ(pairs.size(), 5u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"b", "2"}));
  EXPECT_EQ(pairs[1], (std::pair<std::string, std::string>{"a", "x y!"}));
  EXPECT_EQ(pairs[2], (std::pair<std::string, std::string>{"a", ""}));
  EXPECT_EQ(pairs[3], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(pairs[4], (std::pair<std::string, std::string>{"%zz", "%"}));
}

// data_offset() locates each part's data in the body, however the body is cut into pieces.
TEST(MultipartParser, DataOffsetGivesEachPartsRangeInTheBody) {
  const std::string body = sample_body();
  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, body.size()}) {
    std::vector<std::pair<std::uint64_t, std::string>> parts;  // first offset, data
    MultipartParser* parser_ptr = nullptr;
    MultipartCallbacks callbacks;
    callbacks.on_part_begin = [&](const PartInfo&) { parts.push_back({UINT64_MAX, ""}); };
    callbacks.on_part_data = [&](std::string_view data) {
      auto& [offset, bytes] = parts.back();
      if (bytes.empty()) offset = parser_ptr->data_offset();
      // Pieces of one part are contiguous in the body.
      EXPECT_EQ(parser_ptr->data_offset(), offset + bytes.size());
      bytes.append(data);
    };
    MultipartParser parser(kBoundary, callbacks);
    parser_ptr = &parser;
    for (std::size_t at = 0; at < body.size(); at += piece) {
      parser.feed(std::string_view(body).substr(at, piece));
    }
    parser.finish();
    ASSERT_EQ(parts.size(), 3u);
    for (std::size_t i = 0; i < 2; ++i) {
      const auto& [offset, bytes] = parts[i];
      EXPECT_EQ(body.substr(offset, bytes.size()), bytes) << "piece " << piece << " part " << i;
    }
    EXPECT_EQ(parts[1].second.substr(0, 10), "line one\r\n");
  }
}

}  // namespace
}  // namespace nearhub::http
