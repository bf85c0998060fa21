#include <gtest/gtest.h>

#include "inference/usage.h"
#include "inference/usage_store.h"
#include "inference/usage_writer.h"
#include "unit/db/engine_under_test.h"

namespace nearhub::inference {
namespace {

using Json = nlohmann::json;

TEST(UsageRows, QueryAndResponseAreJsonOrWrapped) {
  EXPECT_EQ(json_or_value(R"([{"role":"user","content":"hi"}])"),
            R"([{"role":"user","content":"hi"}])");
  EXPECT_EQ(json_or_value("hello"), R"({"value":"hello"})");
  EXPECT_EQ(json_or_value(R"({"a":1}{"b":2})"), R"({"value":"{\"a\":1}{\"b\":2}"})");
}

TEST(UsageRows, TokensFromUsage) {
  UsageRow row;
  apply_usage(row, Json::parse(R"({"prompt_tokens":3,"completion_tokens":5,"total_tokens":8,
                                  "completion_tokens_details":{"reasoning_tokens":1},
                                  "prompt_tokens_details":null})"));
  EXPECT_EQ(row.prompt_tokens, 3);
  EXPECT_EQ(row.completion_tokens, 5);
  EXPECT_EQ(row.total_tokens, 8);
  EXPECT_EQ(row.completion_tokens_details, std::optional<std::string>(R"({"reasoning_tokens":1})"));
  EXPECT_EQ(row.prompt_tokens_details, std::nullopt);
  // "usage": null leaves zeros ([BUG] 11 fixed).
  UsageRow empty;
  apply_usage(empty, Json());
  EXPECT_EQ(empty.total_tokens, 0);
}

class UsageWriterTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database();
    database_->migrate();
  }
  std::vector<UsageRow> rows(const std::string& account) {
    auto session = database_->session();
    return UsageStore(*session).list_for_account(account);
  }
  static UsageRow row(const std::string& account, int tokens) {
    UsageRow r;
    r.account_id = account;
    r.query = R"({"value":"q"})";
    r.response = R"({"usage":null})";
    r.model = "m";
    r.provider = "local";
    r.endpoint = "/chat/completions";
    r.created_at = 1'000'000;
    r.total_tokens = tokens;
    r.prompt_tokens_details = R"({"cached_tokens":0})";
    return r;
  }
  std::unique_ptr<db::Database> database_;
};

TEST_P(UsageWriterTest, WritesInBatchesAndFlushes) {
  UsageWriter writer(*database_, {.batch_size = 3, .flush_interval = std::chrono::seconds(60)});
  for (int i = 0; i < 7; ++i) writer.add(row("alice.near", i));
  writer.flush();
  const std::vector<UsageRow> written = rows("alice.near");
  ASSERT_EQ(written.size(), 7u);
  EXPECT_EQ(written[6].total_tokens, 6);
  EXPECT_EQ(written[0].endpoint, "/chat/completions");
  EXPECT_EQ(written[0].prompt_tokens_details, std::optional<std::string>(R"({"cached_tokens":0})"));
  EXPECT_EQ(written[0].completion_tokens_details, std::nullopt);
}

TEST_P(UsageWriterTest, IntervalWritesWithoutFlush) {
  UsageWriter writer(*database_,
                     {.batch_size = 100, .flush_interval = std::chrono::milliseconds(50)});
  writer.add(row("alice.near", 1));
  for (int i = 0; i < 100 && rows("alice.near").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(rows("alice.near").size(), 1u);
}

TEST_P(UsageWriterTest, NothingLostOnDestruction) {
  {
    UsageWriter writer(*database_, {.batch_size = 7, .flush_interval = std::chrono::hours(1)});
    // Neither a full batch nor the interval writes the last six: the destructor does.
    for (int i = 0; i < 20; ++i) writer.add(row("bob.near", i));
  }
  EXPECT_EQ(rows("bob.near").size(), 20u);
}

TEST_P(UsageWriterTest, TokensFeedTheRateLimiter) {
  RateLimiter limiter(*database_, {.tokens_per_minute = 10});
  {
    UsageWriter writer(*database_, {}, &limiter);
    writer.add(row("carol.near", 12));  // created_at 1 s
  }
  EXPECT_TRUE(limiter.admit("carol.near", 2000).has_value());
}

INSTANTIATE_ENGINE_SUITE(UsageWriterTest);

}  // namespace
}  // namespace nearhub::inference
