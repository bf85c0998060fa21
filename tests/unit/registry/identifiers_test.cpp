#include "registry/identifiers.h"

#include <gtest/gtest.h>

#include "api/error.h"

namespace nearhub::registry {
namespace {

std::string error_detail(auto&& call) {
  try {
    call();
  } catch (const api::Error& error) {
    return std::to_string(error.status()) + " " + error.message();
  }
  return "no error";
}

TEST(Identifiers, PatternsMatchTheOriginal) {
  EXPECT_TRUE(is_identifier("alice.near"));
  EXPECT_TRUE(is_identifier("My_agent-1.0"));
  EXPECT_FALSE(is_identifier(""));
  EXPECT_FALSE(is_identifier("a/b"));
  EXPECT_FALSE(is_identifier("a b"));
  EXPECT_FALSE(is_identifier("é"));
  // The pattern allows them, but in a storage key they would be the folder or its parent.
  EXPECT_FALSE(is_identifier("."));
  EXPECT_FALSE(is_identifier(".."));
  EXPECT_TRUE(is_identifier("..."));
  EXPECT_TRUE(is_tag("agent_1-x"));
  EXPECT_FALSE(is_tag("v1.0"));
  EXPECT_FALSE(is_tag(""));
}

TEST(Identifiers, ErrorTextsUsePythonRepr) {
  EXPECT_EQ(error_detail([] { check_identifier("a/b"); }),
            "400 Invalid identifier: 'a/b'. Should match ^[a-zA-Z0-9_\\-.]+$");
  EXPECT_EQ(error_detail([] { check_tag("x y"); }),
            "400 Invalid tag: 'x y'. Should match ^[a-zA-Z0-9_\\-]+$");
  EXPECT_EQ(error_detail([] {
              check_location({"ok", "bad name", "also bad"});
            }),
            "400 Invalid identifier: 'bad name'. Should match ^[a-zA-Z0-9_\\-.]+$");
  EXPECT_EQ(error_detail([] {
              check_location({"ok", "x", ".."});
            }),
            "400 Invalid identifier: '..'. '.' and '..' are not names");
}

TEST(Identifiers, PythonReprOfStrings) {
  EXPECT_EQ(python_repr("plain"), "'plain'");
  EXPECT_EQ(python_repr("it's"), "\"it's\"");
  EXPECT_EQ(python_repr("both ' and \""), "'both \\' and \"'");
  EXPECT_EQ(python_repr("a\\b\n\t\x01"), "'a\\\\b\\n\\t\\x01'");
  EXPECT_EQ(python_repr("caf\xC3\xA9"), "'caf\xC3\xA9'");
  EXPECT_EQ(python_repr("nb\xC2\xA0sp"), "'nb\\xa0sp'");
}

TEST(Identifiers, PythonReprOfJson) {
  const auto value = nlohmann::ordered_json::parse(
      R"({"origin": "gcs", "n": 1, "ok": true, "none": null, "list": ["a"]})");
  EXPECT_EQ(python_repr_json(value),
            "{'origin': 'gcs', 'n': 1, 'ok': True, 'none': None, 'list': ['a']}");
}

TEST(Identifiers, NotFoundDetailNamesTheLocation) {
  EXPECT_EQ(not_found_detail({"alice.near", "x", "1.0"}),
            "Entry 'namespace='alice.near' name='x' version='1.0'' not found");
}

TEST(Identifiers, PathsAreNormalizedInsideTheEntry) {
  EXPECT_EQ(normalize_path("agent.py"), "agent.py");
  EXPECT_EQ(normalize_path("./src//lib/./a.py"), "src/lib/a.py");
  EXPECT_EQ(normalize_path("dir/"), "dir");
  EXPECT_EQ(normalize_path("name with spaces.txt"), "name with spaces.txt");
  EXPECT_EQ(normalize_path("a..b"), "a..b");
}

TEST(Identifiers, PathsThatEscapeAreRefused) {
  EXPECT_FALSE(normalize_path(""));
  EXPECT_FALSE(normalize_path("."));
  EXPECT_FALSE(normalize_path("/etc/passwd"));
  EXPECT_FALSE(normalize_path("../other/agent.py"));
  EXPECT_FALSE(normalize_path("a/../../b"));
  EXPECT_FALSE(normalize_path("a/.."));
  EXPECT_FALSE(normalize_path("a\\b"));
  EXPECT_FALSE(normalize_path(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace nearhub::registry
