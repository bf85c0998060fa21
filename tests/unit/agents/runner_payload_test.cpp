// The runner payload (spec/assistants.md §6.2): exact shape and key order, for a T11 run (model
// and temperature present) and an A1 run (absent), and the auth token forwarded unchanged.

#include "agents/runner_payload.h"

#include <gtest/gtest.h>

namespace nearhub::agents {
namespace {

using nlohmann::ordered_json;

ordered_json token() {
  return ordered_json::parse(R"({"account_id":"alice.near","public_key":"ed25519:abc",
    "signature":"sig","callback_url":"https://app/cb","recipient":"ai.near",
    "nonce":"1730000000000","message":"Welcome","runner_data":null,"extra":{"b":1,"a":2}})");
}

RunnerPayloadInput input() {
  RunnerPayloadInput input;
  input.agents = "alice.near/echo/1.0.0";
  input.thread_id = "thread_1";
  input.run_id = "run_1";
  input.auth = token();
  input.api_url = "http://127.0.0.1:8081";
  input.user_env_vars = {{"KEY", "user value"}};
  input.agent_env_vars = {{"alice.near/echo/1.0.0", {{"KEY", "agent value"}}}};
  return input;
}

TEST(RunnerPayload, T11RunCarriesModelAndTemperatureInTheSpecOrder) {
  RunnerPayloadInput t11 = input();
  t11.model = "";
  t11.temperature = nullptr;
  EXPECT_EQ(runner_payload(t11).dump(),
            R"({"agents":"alice.near/echo/1.0.0","thread_id":"thread_1","run_id":"run_1",)"
            R"("auth":{"account_id":"alice.near","public_key":"ed25519:abc","signature":"sig",)"
            R"("callback_url":"https://app/cb","recipient":"ai.near","nonce":"1730000000000",)"
            R"("message":"Welcome","runner_data":null,"extra":{"b":1,"a":2}},)"
            R"("params":{"record_run":true,"api_url":"http://127.0.0.1:8081",)"
            R"("tool_resources":null,"data_source":"registry","model":"","temperature":null,)"
            R"("user_env_vars":{"KEY":"user value"},)"
            R"("agent_env_vars":{"alice.near/echo/1.0.0":{"KEY":"agent value"}}}})");
}

TEST(RunnerPayload, T11RunWithAModelAndATemperature) {
  RunnerPayloadInput t11 = input();
  t11.model = "fireworks::llama";
  t11.temperature = 0.5;
  t11.tool_resources = {{"file_search", {{"vector_store_ids", {"vs_1"}}}}};
  const ordered_json params = runner_payload(t11)["params"];
  EXPECT_EQ(params["model"], "fireworks::llama");
  EXPECT_EQ(params["temperature"], 0.5);
  EXPECT_EQ(params["tool_resources"].dump(), R"({"file_search":{"vector_store_ids":["vs_1"]}})");
}

TEST(RunnerPayload, A1RunHasNoModelOrTemperature) {
  RunnerPayloadInput a1 = input();
  a1.data_source = "local_files";
  EXPECT_EQ(runner_payload(a1)["params"].dump(),
            R"({"record_run":true,"api_url":"http://127.0.0.1:8081","tool_resources":null,)"
            R"("data_source":"local_files","user_env_vars":{"KEY":"user value"},)"
            R"("agent_env_vars":{"alice.near/echo/1.0.0":{"KEY":"agent value"}}})");
}

TEST(RunnerPayload, DefaultsAreEmptyObjects) {
  RunnerPayloadInput bare;
  bare.auth = token();
  const ordered_json params = runner_payload(bare)["params"];
  EXPECT_EQ(params["user_env_vars"].dump(), "{}");
  EXPECT_EQ(params["agent_env_vars"].dump(), "{}");
  EXPECT_EQ(params["data_source"], "registry");
}

TEST(RunnerPayload, NumericNonceBecomesAString) {
  RunnerPayloadInput numeric = input();
  numeric.auth["nonce"] = 1730000000000;
  const ordered_json auth = runner_payload(numeric)["auth"];
  ASSERT_TRUE(auth["nonce"].is_string());
  EXPECT_EQ(auth["nonce"], "1730000000000");
  // Its place in the token does not move.
  EXPECT_EQ(std::next(auth.begin(), 5).key(), "nonce");
}

}  // namespace
}  // namespace nearhub::agents
