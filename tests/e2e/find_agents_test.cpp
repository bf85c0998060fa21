// POST /v1/find_agents over HTTP (spec/assistants.md §5.2): the raw-row shape, the filters, the
// [BUG]/[SEC] fixes, private agents for their readers only, and 422 on bad bodies.

#include <gtest/gtest.h>

#include <regex>

#include "auth/credentials.h"
#include "e2e/support/registry_api.h"
#include "e2e/support/shared_server.h"
#include "e2e/support/tokens.h"

namespace nearhub::e2e {
namespace {

using nlohmann::json;

class FindAgents : public SharedServerTest<FindAgents> {
 public:
  static ServerProcess::Options server_options() {
    return {.environment = {{"NEARHUB_ACCESS_LOG", "false"},
                            {"NEARHUB_REGISTRY_ADMIN_ACCOUNTS", admin().account_id}}};
  }
  static const auth::NearCredentials& admin() {
    static const auth::NearCredentials credentials = auth::generate_implicit_credentials();
    return credentials;
  }

 protected:
  static RegistryApi api() { return RegistryApi(server_->base_url()); }
  void publish(const auth::NearCredentials& who, const std::string& name,
               const std::string& version, const json& details = json::object(),
               const std::string& category = "agent", bool show_entry = true) {
    const FullReply reply =
        api().upload_metadata(sign_token(who), {who.account_id, name, version},
                              entry_metadata(category, details, json::array(), show_entry));
    ASSERT_EQ(reply.status, 200) << reply.body;
  }
  static FullReply find(const auth::NearCredentials& who, const json& body) {
    return api().post("/v1/find_agents", sign_token(who), body.dump(), "application/json");
  }
  // "name@version" of each agent found.
  static std::vector<std::string> names(const FullReply& reply) {
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<std::string> out;
    for (const json& row : reply.json()) {
      out.push_back(row["name"].get<std::string>() + "@" + row["version"].get<std::string>());
    }
    return out;
  }

  auth::NearCredentials alice_ = auth::generate_implicit_credentials();
  auth::NearCredentials bob_ = auth::generate_implicit_credentials();
};

using Names = std::vector<std::string>;

TEST_F(FindAgents, AnswersRawRegistryRows) {
  publish(alice_, "bot", "1.0", {{"encryption_key", "k3y"}, {"capabilities", {{"input", "text"}}}});
  const FullReply reply = find(alice_, {{"owner_id", alice_.account_id}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json rows = reply.json();
  ASSERT_EQ(rows.size(), 1u);
  const json& row = rows[0];
  // Keys in the original's column order.
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(reply.body);
  std::vector<std::string> keys;
  for (const auto& item : ordered[0].items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "namespace", "name", "version", "time",
                                            "description", "category", "details", "show_entry"}));
  EXPECT_TRUE(row["id"].is_number_integer());
  EXPECT_EQ(row["namespace"], alice_.account_id);
  EXPECT_EQ(row["name"], "bot");
  EXPECT_EQ(row["version"], "1.0");
  EXPECT_TRUE(std::regex_match(row["time"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?)")))
      << row["time"];
  EXPECT_EQ(row["description"], "d");
  EXPECT_EQ(row["category"], "agent");
  // [SEC] fixed: the key is hidden, even from its owner, as in listings.
  EXPECT_EQ(row["details"],
            json({{"encryption_key", "<secret>"}, {"capabilities", {{"input", "text"}}}}));
  EXPECT_EQ(row["show_entry"], true);
}

TEST_F(FindAgents, FiltersAndOrder) {
  publish(alice_, "a", "0.0.9");
  publish(alice_, "a", "0.0.10");
  publish(alice_, "caps", "1", {{"capabilities", json::array()}});
  publish(alice_, "nullcaps", "1", {{"capabilities", nullptr}});
  publish(alice_, "hidden", "1", json::object(), "agent", /*show_entry=*/false);
  publish(alice_, "data", "1", json::object(), "dataset");
  publish(bob_, "other", "1");
  const std::string owner = alice_.account_id;
  // [BUG] fixed: the newest version is the highest id, not the largest string ("0.0.9").
  EXPECT_EQ(names(find(bob_, {{"owner_id", owner}})),
            (Names{"a@0.0.10", "caps@1", "nullcaps@1", "hidden@1"}));
  EXPECT_EQ(names(find(bob_, {{"owner_id", owner}, {"latest_versions_only", false}})),
            (Names{"a@0.0.9", "a@0.0.10", "caps@1", "nullcaps@1", "hidden@1"}));
  EXPECT_EQ(names(find(bob_, {{"owner_id", owner}, {"with_capabilities", true}})),
            (Names{"caps@1"}));
  EXPECT_EQ(names(find(bob_, {{"owner_id", owner}, {"limit", 2}, {"offset", 1}})),
            (Names{"caps@1", "nullcaps@1"}));
  EXPECT_EQ(names(find(bob_, {{"owner_id", owner}, {"limit", nullptr}, {"offset", nullptr}})),
            (Names{"a@0.0.10", "caps@1", "nullcaps@1", "hidden@1"}));
  EXPECT_EQ(names(find(bob_, {{"owner_id", owner}, {"limit", 0}})), Names{});
  // owner_id null: every namespace, in id order.
  const Names all = names(find(bob_, {{"owner_id", nullptr}, {"limit", nullptr}}));
  const auto at = [&](const std::string& name) {
    return std::find(all.begin(), all.end(), name) - all.begin();
  };
  EXPECT_LT(at("a@0.0.10"), at("hidden@1"));
  EXPECT_LT(at("hidden@1"), at("other@1"));
  EXPECT_EQ(at("data@1"), static_cast<long>(all.size()));  // not an agent
}

TEST_F(FindAgents, PrivateAgentsAreFoundOnlyByWhoMayReadThem) {
  publish(alice_, "open", "1");
  publish(alice_, "secret", "1", {{"private_source", true}});
  const json body = {{"owner_id", alice_.account_id}};
  EXPECT_EQ(names(find(bob_, body)), (Names{"open@1"}));
  EXPECT_EQ(names(find(alice_, body)), (Names{"open@1", "secret@1"}));
  EXPECT_EQ(names(find(admin(), body)), (Names{"open@1", "secret@1"}));
}

TEST_F(FindAgents, BadBodiesAre422AndTheTokenIsRequired) {
  struct Case {
    std::string body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"{}",
       "[{'type': 'missing', 'loc': ('body', 'owner_id'), 'msg': 'Field required', 'input': {}}]"},
      {R"({"owner_id":null,"limit":"many"})",
       "[{'type': 'int_parsing', 'loc': ('body', 'limit'), 'msg': 'Input should be a "
       "valid integer, unable to parse string as an integer', 'input': 'many'}]"},
  };
  for (const Case& c : cases) {
    const FullReply reply =
        api().post("/v1/find_agents", sign_token(alice_), c.body, "application/json");
    EXPECT_EQ(reply.status, 422) << c.body;
    EXPECT_EQ(reply.body, nlohmann::ordered_json(
                              {{"status_code", 422}, {"message", c.message}, {"data", nullptr}})
                              .dump())
        << c.body;
  }
  for (const json& body : {json{{"owner_id", 5}}, json{{"owner_id", nullptr}, {"offset", -1}},
                           json{{"owner_id", nullptr}, {"limit", -1}},
                           json{{"owner_id", nullptr}, {"with_capabilities", "maybe"}},
                           json{{"owner_id", nullptr}, {"latest_versions_only", nullptr}}}) {
    EXPECT_EQ(find(alice_, body).status, 422) << body;
  }
  const FullReply anonymous =
      api().post("/v1/find_agents", "", R"({"owner_id":null})", "application/json");
  EXPECT_EQ(anonymous.status, 403);
  EXPECT_EQ(anonymous.detail(), "Authorization required");
}

}  // namespace
}  // namespace nearhub::e2e
