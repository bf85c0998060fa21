#include <gtest/gtest.h>

#include "inference/request_normalization.h"

namespace nearhub::inference {
namespace {

using Json = nlohmann::json;

TEST(RequestNormalization, PythonStrOfScalars) {
  EXPECT_EQ(python_str(Json(1)), "1");
  EXPECT_EQ(python_str(Json(true)), "True");
  EXPECT_EQ(python_str(Json(false)), "False");
  EXPECT_EQ(python_str(Json(nullptr)), "None");
  EXPECT_EQ(python_str(Json(1.5)), "1.5");
  EXPECT_EQ(python_str(Json(2.0)), "2.0");
  EXPECT_EQ(python_str(Json("text")), "text");
}

TEST(RequestNormalization, MessageContentRules) {
  EXPECT_EQ(normalize_content(Json()), Json(""));
  EXPECT_EQ(normalize_content(Json(1)), Json("1"));
  EXPECT_EQ(normalize_content(Json(true)), Json("True"));
  EXPECT_EQ(normalize_content(Json("hi")), Json("hi"));
  // List content keeps its structure; every leaf becomes text.
  const Json parts = Json::parse(R"([{"type":"text","text":"a","n":3},{"flag":true},7])");
  EXPECT_EQ(normalize_content(parts),
            Json::parse(R"([{"type":"text","text":"a","n":"3"},{"flag":"True"},"7"])"));
}

TEST(RequestNormalization, MessagesKeepOnlyRoleAndContent) {
  const Json messages = Json::parse(
      R"([{"role":"user","content":"hi","name":"bob"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"1"}]},
          {"role":"tool","content":42,"tool_call_id":"1"}])");
  EXPECT_EQ(normalize_messages(messages),
            Json::parse(R"([{"role":"user","content":"hi"},{"role":"assistant","content":""},
                            {"role":"tool","content":"42"}])"));
}

TEST(RequestNormalization, ChatBodyDropsProviderNullsAndEmptyTools) {
  const Json request = Json::parse(R"({"model":"local::m","provider":"x","max_tokens":1024,
      "logprobs":null,"temperature":0.5,"top_p":1.0,"frequency_penalty":0.0,"n":1,"stop":null,
      "response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object"}}},
      "stream":false,"tools":[],"messages":[{"role":"user","content":"hi","name":"x"}]})");
  const UpstreamBody out = chat_upstream_body(request, "m");
  EXPECT_EQ(out.body["model"], "m");
  EXPECT_FALSE(out.body.contains("provider"));
  EXPECT_FALSE(out.body.contains("logprobs"));
  EXPECT_FALSE(out.body.contains("stop"));
  EXPECT_FALSE(out.body.contains("tools"));
  EXPECT_FALSE(out.body.contains("stream_options"));
  // [REC] of §4.2.1: the client's response_format goes out unchanged ("schema", not "schema_").
  EXPECT_EQ(out.body["response_format"]["json_schema"]["schema"], Json({{"type", "object"}}));
  EXPECT_EQ(out.body["messages"], Json::parse(R"([{"role":"user","content":"hi"}])"));
  EXPECT_FALSE(out.hide_usage_chunk);
}

TEST(RequestNormalization, StreamAsksForUsageAndHidesItUnlessTheClientAsked) {
  Json request = Json::parse(R"({"stream":true,"messages":[{"role":"user","content":"hi"}]})");
  UpstreamBody out = chat_upstream_body(request, "m");
  EXPECT_EQ(out.body["stream_options"], Json({{"include_usage", true}}));
  EXPECT_TRUE(out.hide_usage_chunk);

  request["stream_options"] = {{"include_usage", true}};
  out = chat_upstream_body(request, "m");
  EXPECT_EQ(out.body["stream_options"], Json({{"include_usage", true}}));
  EXPECT_FALSE(out.hide_usage_chunk);

  const Json completion = Json::parse(R"({"stream":true,"prompt":"p","tools":[{"x":1}]})");
  out = completion_upstream_body(completion, "m");
  EXPECT_EQ(out.body["prompt"], "p");
  EXPECT_FALSE(out.body.contains("tools"));  // not a completions field
  EXPECT_TRUE(out.hide_usage_chunk);
}

TEST(RequestNormalization, EmbeddingsBody) {
  const Json request = Json::parse(R"({"input":["a","b"],"model":"local::e","provider":null})");
  EXPECT_EQ(embeddings_upstream_body(request, "e"),
            Json::parse(R"({"input":["a","b"],"model":"e"})"));
}

}  // namespace
}  // namespace nearhub::inference
