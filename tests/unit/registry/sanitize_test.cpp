#include "registry/sanitize.h"

#include <gtest/gtest.h>

namespace nearhub::registry {
namespace {

TEST(Sanitize, NormalizesToNfc) {
  // "e" + combining acute accent becomes the precomposed é.
  EXPECT_EQ(sanitize_text("caf"
                          "e\xCC\x81"),
            "caf\xC3\xA9");
}

TEST(Sanitize, StripsUnicodeWhitespace) {
  EXPECT_EQ(sanitize_text("  \t hello world \n"), "hello world");
  EXPECT_EQ(sanitize_text("\xC2\xA0x\xE3\x80\x80"), "x");  // no-break and ideographic spaces
}

TEST(Sanitize, TurnsCrLfAndCrIntoLf) { EXPECT_EQ(sanitize_text("a\r\nb\rc\nd"), "a\nb\nc\nd"); }

TEST(Sanitize, StraightensCurlyQuotes) {
  EXPECT_EQ(sanitize_text("\xE2\x80\x9CHi\xE2\x80\x9D, it\xE2\x80\x99s"), "\"Hi\", it's");
}

TEST(Sanitize, RemovesControlCharactersButKeepsTabNewlineFormFeed) {
  EXPECT_EQ(sanitize_text("a\x01\x1F\x7F"
                          "b\tc\nd\fe\xC2\x85"
                          "f"),
            "ab\tc\nd\fef");
  EXPECT_EQ(sanitize_text("\xEF\xBB\xBFtext"), "text");  // BOM
}

TEST(Sanitize, WidthAndLigatures) {
  EXPECT_EQ(sanitize_text("\xEF\xBC\xA1\xEF\xBC\x91"), "A1");  // full-width A and 1
  EXPECT_EQ(sanitize_text("\xEF\xAC\x81le"), "file");          // the fi ligature
}

TEST(Sanitize, ReplacesInvalidUtf8) {
  EXPECT_EQ(sanitize_text("a\xFF"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(Sanitize, JsonStringsRecursivelyButNotKeys) {
  nlohmann::ordered_json value = nlohmann::ordered_json::parse(
      R"({" key ": " v ", "list": [" a ", 1, {"n": "x\r\n"}], "flag": true})");
  sanitize_json(value);
  EXPECT_EQ(value.dump(), R"({" key ":"v","list":["a",1,{"n":"x"}],"flag":true})");
}

TEST(Sanitize, TagsAreLowercasedDeduplicatedAndNeverEmpty) {
  EXPECT_EQ(normalize_tags({" Agent", "agent", "", "  ", "LLM", "\xC3\x89t\xC3\xA9", "llm"}),
            (std::vector<std::string>{"agent", "llm", "\xC3\xA9t\xC3\xA9"}));
}

}  // namespace
}  // namespace nearhub::registry
