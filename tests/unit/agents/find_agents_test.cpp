// RegistryService::find_agents on both engines (spec/assistants.md §5.2): the filters, the
// [BUG]/[SEC] fixes, the private-entry rule, and LIMIT/OFFSET counted after the filters.

#include <gtest/gtest.h>

#include <limits>

#include "registry/service.h"
#include "unit/db/engine_under_test.h"
#include "unit/registry/memory_blob_store.h"

namespace nearhub::registry {
namespace {

using nlohmann::ordered_json;

api::Identity as(const std::string& account) {
  api::Identity identity;
  identity.account_id = account;
  return identity;
}

class FindAgentsTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database();
    database_->migrate();
    RegistryOptions options;
    options.admin_accounts = {"admin.near"};
    service_ = std::make_unique<RegistryService>(*database_, blobs_, options);
  }

  void publish(const std::string& namespace_, const std::string& name, const std::string& version,
               ordered_json details = ordered_json::object(), const std::string& category = "agent",
               bool show_entry = true) {
    service_->upload_metadata(as(namespace_), {namespace_, name, version},
                              {{"category", category},
                               {"description", "d"},
                               {"tags", ordered_json::array()},
                               {"details", std::move(details)},
                               {"show_entry", show_entry}});
  }

  // "namespace/name/version" of each agent found, in order.
  std::vector<std::string> find(const std::string& caller, FindAgentsQuery query = {}) {
    std::vector<std::string> out;
    for (const Entry& entry : service_->find_agents(as(caller), query)) {
      out.push_back(entry.location.namespace_ + "/" + entry.location.name + "/" +
                    entry.location.version);
    }
    return out;
  }

  static FindAgentsQuery all_versions() {
    FindAgentsQuery query;
    query.latest_versions_only = false;
    return query;
  }

  testing::MemoryBlobStore blobs_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<RegistryService> service_;
};

using Names = std::vector<std::string>;

TEST_P(FindAgentsTest, AgentsOnlyInIdOrderAndByOwner) {
  publish("bob.near", "b", "1");
  publish("alice.near", "a", "1");
  publish("alice.near", "data", "1", ordered_json::object(), "dataset");
  publish("alice.near", "hidden", "1", ordered_json::object(), "agent", /*show_entry=*/false);
  EXPECT_EQ(find("carol.near"), (Names{"bob.near/b/1", "alice.near/a/1", "alice.near/hidden/1"}));
  FindAgentsQuery mine;
  mine.owner_id = "alice.near";
  EXPECT_EQ(find("carol.near", mine), (Names{"alice.near/a/1", "alice.near/hidden/1"}));
  mine.owner_id = "nobody.near";
  EXPECT_EQ(find("carol.near", mine), Names{});
  EXPECT_EQ(service_->find_agents(as("carol.near"), {}).front().category, "agent");
}

TEST_P(FindAgentsTest, LatestIsTheHighestIdNotTheLargestVersionString) {
  publish("alice.near", "a", "0.0.9");
  publish("alice.near", "a", "0.0.10");
  publish("alice.near", "b", "2.0");
  publish("alice.near", "b", "1.0");
  // A newer entry of another category with the same name hides nothing.
  publish("alice.near", "a", "9.9", ordered_json::object(), "dataset");
  EXPECT_EQ(find("x.near"), (Names{"alice.near/a/0.0.10", "alice.near/b/1.0"}));
  EXPECT_EQ(find("x.near", all_versions()), (Names{"alice.near/a/0.0.9", "alice.near/a/0.0.10",
                                                   "alice.near/b/2.0", "alice.near/b/1.0"}));
}

TEST_P(FindAgentsTest, WithCapabilitiesKeepsAgentsWhoseCapabilitiesAreNotNull) {
  publish("alice.near", "none", "1");
  publish("alice.near", "null", "1", {{"capabilities", nullptr}});
  publish("alice.near", "empty", "1", {{"capabilities", ordered_json::array()}});
  publish("alice.near", "some", "1", {{"capabilities", {{"input", "text"}}}});
  FindAgentsQuery query;
  query.with_capabilities = true;
  EXPECT_EQ(find("x.near", query), (Names{"alice.near/empty/1", "alice.near/some/1"}));
}

TEST_P(FindAgentsTest, PrivateAgentsAreFoundOnlyByWhoMayReadThem) {
  publish("alice.near", "open", "1");
  publish("alice.near", "secret", "1", {{"private_source", true}});
  publish("alice.near", "not-secret", "1", {{"private_source", ""}});  // falsy: public
  const Names everyone{"alice.near/open/1", "alice.near/not-secret/1"};
  const Names readers{"alice.near/open/1", "alice.near/secret/1", "alice.near/not-secret/1"};
  EXPECT_EQ(find("bob.near"), everyone);
  EXPECT_EQ(find("alice.near"), readers);
  EXPECT_EQ(find("admin.near"), readers);
}

TEST_P(FindAgentsTest, EncryptionKeysAreHiddenEvenFromTheOwner) {
  publish("alice.near", "enc", "1", {{"encryption_key", "k3y"}, {"other", 1}});
  for (const std::string caller : {"alice.near", "bob.near", "admin.near"}) {
    const std::vector<Entry> found = service_->find_agents(as(caller), {});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].details, ordered_json({{"encryption_key", "<secret>"}, {"other", 1}}));
  }
  // The stored key is untouched.
  EXPECT_EQ(service_->download_metadata(as("alice.near"), {"alice.near", "enc", "1"})
                .entry.details["encryption_key"],
            "k3y");
}

TEST_P(FindAgentsTest, LimitAndOffsetCountMatchesAfterTheFilters) {
  // 130 agents; every third one is private to alice, which bob does not see. The pages the
  // store reads (50 and more) do not line up with what bob asks for.
  Names visible;
  for (int i = 0; i < 130; ++i) {
    const std::string name = "agent" + std::to_string(i);
    if (i % 3 == 0) {
      publish("alice.near", name, "1", {{"private_source", true}});
    } else {
      publish("alice.near", name, "1");
      visible.push_back("alice.near/" + name + "/1");
    }
  }
  ASSERT_EQ(visible.size(), 86u);
  FindAgentsQuery query;
  query.limit = std::nullopt;
  EXPECT_EQ(find("bob.near", query), visible);
  EXPECT_EQ(find("bob.near").size(), 86u);  // the default limit, 100, is more than there are
  query.limit = 30;
  query.offset = 60;
  EXPECT_EQ(find("bob.near", query), Names(visible.begin() + 60, visible.end()));
  query.limit = 7;
  query.offset = 49;
  EXPECT_EQ(find("bob.near", query), Names(visible.begin() + 49, visible.begin() + 56));
  query.offset = 86;
  EXPECT_EQ(find("bob.near", query), Names{});
  query.limit = 0;
  query.offset = 0;
  EXPECT_EQ(find("bob.near", query), Names{});
  query.limit = std::numeric_limits<std::int64_t>::max();
  query.offset = 85;
  EXPECT_EQ(find("bob.near", query), Names{visible.back()});
  EXPECT_EQ(find("alice.near", query).size(), 45u);  // alice sees all 130
}

INSTANTIATE_ENGINE_SUITE(FindAgentsTest);

}  // namespace
}  // namespace nearhub::registry
