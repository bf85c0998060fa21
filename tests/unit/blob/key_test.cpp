#include "blob/key.h"

#include <gtest/gtest.h>

#include "blob/blob_store.h"

namespace nearhub::blob {
namespace {

TEST(BlobKey, AcceptsRelativePaths) {
  EXPECT_NO_THROW(check_key("registry/alice.near/my-agent/0.0.1/agent.py"));
  EXPECT_NO_THROW(check_key("a"));
  EXPECT_NO_THROW(check_key("with space/ü/..hidden/.dot/a..b"));
}

TEST(BlobKey, RefusesKeysThatCouldEscapeOrMeanTwoThings) {
  using namespace std::string_literals;
  for (const std::string& key :
       {""s, "/etc/passwd"s, "/"s, "."s, ".."s, "a/../b"s, "a/./b"s, "a/.."s, "../a"s, "a//b"s,
        "a/"s, "a\\b"s, "..\\a"s, "a\0b"s, "a\nb"s, "a\rb"s, "a\tb"s, "a\x7f"s, "a\x01"s}) {
    EXPECT_THROW(check_key(key), BlobError) << "key: " << key;
  }
}

TEST(BlobKey, ErrorNamesTheFaultAndEscapesTheKey) {
  try {
    check_key(std::string("a\nb/../c"));
    FAIL() << "accepted";
  } catch (const BlobError& error) {
    EXPECT_STREQ(error.what(), "invalid blob key 'a\\x0ab/../c': contains a control character");
  }
  try {
    check_key("a/../c");
    FAIL() << "accepted";
  } catch (const BlobError& error) {
    EXPECT_STREQ(error.what(), "invalid blob key 'a/../c': has a '.' or '..' segment");
  }
}

TEST(BlobKey, PrefixesMayEndMidSegmentOrWithASlash) {
  EXPECT_NO_THROW(check_prefix(""));
  EXPECT_NO_THROW(check_prefix("registry/"));
  EXPECT_NO_THROW(check_prefix("registry/al"));
  EXPECT_NO_THROW(check_prefix("registry/."));
  EXPECT_THROW(check_prefix("/registry"), BlobError);
  EXPECT_THROW(check_prefix("registry/../x"), BlobError);
  EXPECT_THROW(check_prefix("a//b"), BlobError);
  EXPECT_THROW(check_prefix(std::string("a\0", 2)), BlobError);
}

}  // namespace
}  // namespace nearhub::blob
