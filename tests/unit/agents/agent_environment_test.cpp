// The run's environment (spec/assistants.md §3 step 4, §6.3 step 5): metadata env vars under the
// resolved agent id, request vars as user vars, every value a string.

#include "agents/agent_environment.h"

#include <gtest/gtest.h>

namespace nearhub::agents {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

TEST(AgentEnvironment, DetailsEnvVarsGoUnderTheResolvedAgent) {
  const json details = json::parse(R"({"agent":{"framework":"minimal"},
      "env_vars":{"MODE":"echo","GREETING":"hi"}})");
  const AgentEnvironment environment =
      agent_environment("alice.near/echo/1.0.0", details, ordered_json::object());
  EXPECT_EQ(environment.agent_env_vars.dump(),
            R"({"alice.near/echo/1.0.0":{"GREETING":"hi","MODE":"echo"}})");
  EXPECT_EQ(environment.user_env_vars.dump(), "{}");
}

TEST(AgentEnvironment, RequestVarsAreUserVarsInTheirOrder) {
  const ordered_json request = ordered_json::parse(R"({"Z":"last","A":"first"})");
  const AgentEnvironment environment = agent_environment("a/b/1", json::object(), request);
  EXPECT_EQ(environment.user_env_vars.dump(), R"({"Z":"last","A":"first"})");
  EXPECT_EQ(environment.agent_env_vars.dump(), R"({"a/b/1":{}})");
}

TEST(AgentEnvironment, NonStringValuesBecomeJsonTextAndNullIsLeftOut) {
  const json details =
      json::parse(R"({"env_vars":{"N":3,"F":1.5,"B":true,"L":[1,"x"],"O":{"k":"v"},"U":null}})");
  const ordered_json request = ordered_json::parse(R"({"N":7,"U":null,"S":"text"})");
  const AgentEnvironment environment = agent_environment("a/b/1", details, request);
  EXPECT_EQ(environment.agent_env_vars["a/b/1"].dump(),
            R"({"B":"true","F":"1.5","L":"[1,\"x\"]","N":"3","O":"{\"k\":\"v\"}"})");
  EXPECT_EQ(environment.user_env_vars.dump(), R"({"N":"7","S":"text"})");
}

TEST(AgentEnvironment, MissingOrMalformedInputsGiveEmptyObjects) {
  for (const json& details : {json(nullptr), json::array(), json::parse(R"({"env_vars":null})"),
                              json::parse(R"({"env_vars":"A=1"})")}) {
    const AgentEnvironment environment = agent_environment("a/b/1", details, nullptr);
    EXPECT_EQ(environment.agent_env_vars.dump(), R"({"a/b/1":{}})") << details.dump();
    EXPECT_EQ(environment.user_env_vars.dump(), "{}") << details.dump();
  }
}

}  // namespace
}  // namespace nearhub::agents
