#include "registry/details.h"

#include <gtest/gtest.h>

namespace nearhub::registry {
namespace {

using nlohmann::ordered_json;

TEST(Details, PrivateSourceIsPythonTruthiness) {
  EXPECT_TRUE(is_private(ordered_json::parse(R"({"private_source": true})")));
  EXPECT_TRUE(is_private(ordered_json::parse(R"({"private_source": "yes"})")));
  EXPECT_TRUE(is_private(ordered_json::parse(R"({"private_source": 2})")));
  EXPECT_TRUE(is_private(ordered_json::parse(R"({"private_source": {"a": 1}})")));
  EXPECT_FALSE(is_private(ordered_json::parse(R"({"private_source": false})")));
  EXPECT_FALSE(is_private(ordered_json::parse(R"({"private_source": ""})")));
  EXPECT_FALSE(is_private(ordered_json::parse(R"({"private_source": 0})")));
  EXPECT_FALSE(is_private(ordered_json::parse(R"({"private_source": null})")));
  EXPECT_FALSE(is_private(ordered_json::parse(R"({})")));
}

TEST(Details, ObfuscationTouchesOnlyTheTopLevelKey) {
  ordered_json details =
      ordered_json::parse(R"({"encryption_key": "k", "nested": {"encryption_key": "n"}})");
  obfuscate_encryption_key(details);
  EXPECT_EQ(details.dump(), R"({"encryption_key":"<secret>","nested":{"encryption_key":"n"}})");
  ordered_json without = ordered_json::parse(R"({"a": 1})");
  obfuscate_encryption_key(without);
  EXPECT_EQ(without.dump(), R"({"a":1})");
}

TEST(Details, ForksLoseTheXMentionTrigger) {
  ordered_json only =
      ordered_json::parse(R"({"a": 1, "triggers": {"events": {"x_mentions": {}}}})");
  remove_x_mentions_trigger(only);
  EXPECT_EQ(only.dump(), R"({"a":1})");
  ordered_json other = ordered_json::parse(
      R"({"triggers": {"events": {"x_mentions": [1], "cron": "x"}, "other": 1}})");
  remove_x_mentions_trigger(other);
  EXPECT_EQ(other.dump(), R"({"triggers":{"events":{"cron":"x"},"other":1}})");
  ordered_json keep = ordered_json::parse(R"({"triggers": {"events": {"cron": "x"}}})");
  remove_x_mentions_trigger(keep);
  EXPECT_EQ(keep.dump(), R"({"triggers":{"events":{"cron":"x"}}})");
}

}  // namespace
}  // namespace nearhub::registry
