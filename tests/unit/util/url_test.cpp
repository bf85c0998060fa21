#include "util/url.h"

#include <gtest/gtest.h>

namespace nearhub::util {
namespace {

TEST(UrlTest, PercentDecode) {
  EXPECT_EQ(percent_decode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("%e2%82%ac"), "\xE2\x82\xAC");
  // Malformed escapes stay as written, like Python's unquote.
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%2"), "%2");
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(percent_decode(""), "");
}

TEST(UrlTest, FormDecodeTurnsPlusIntoSpace) { EXPECT_EQ(form_decode("a+b%2B"), "a b+"); }

TEST(UrlTest, ParseQuery) {
  auto pairs = parse_query("a=1&&b=&c&a=2+3&=v");
  ASSERT_EQ(pairs.size(), 5u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(pairs[1], (std::pair<std::string, std::string>{"b", ""}));
  EXPECT_EQ(pairs[2], (std::pair<std::string, std::string>{"c", ""}));
  EXPECT_EQ(pairs[3], (std::pair<std::string, std::string>{"a", "2 3"}));
  EXPECT_EQ(pairs[4], (std::pair<std::string, std::string>{"", "v"}));
  EXPECT_TRUE(parse_query("").empty());
}

TEST(UrlTest, PercentEncode) {
  EXPECT_EQ(percent_encode("a b/c~"), "a%20b%2Fc~");
  EXPECT_EQ(percent_encode("a b/c", true), "a%20b/c");
  EXPECT_EQ(percent_decode(percent_encode("\x01\xFF{}")), "\x01\xFF{}");
}

}  // namespace
}  // namespace nearhub::util
