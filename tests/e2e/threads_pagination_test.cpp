// The message list envelope over HTTP (spec/assistants.md §2.9) at its edges: a thread of more
// than 1,000 messages walked page by page both ways, `before`, limits of 0 and 1,000, the
// run_id filter, subthreads, and the output-file de-duplication.

#include <gtest/gtest.h>

#include <set>

#include "auth/credentials.h"
#include "e2e/support/shared_server.h"
#include "e2e/support/threads_api.h"

namespace nearhub::e2e {
namespace {

using json = nlohmann::ordered_json;

constexpr int kMessages = 1005;

class ThreadsPagination : public SharedServerTest<ThreadsPagination> {
 protected:
  static void SetUpTestSuite() {
    SharedServerTest::SetUpTestSuite();
    json messages = json::array();
    for (int i = 0; i < kMessages; ++i) {
      messages.push_back({{"role", i % 2 ? "assistant" : "user"}, {"content", std::to_string(i)}});
    }
    big_ = api().new_thread({{"messages", messages}});
  }
  static ThreadsApi api() { return ThreadsApi(client(), alice_); }
  static json page(const std::string& thread, const std::string& query) {
    const Reply reply = api().list_messages(thread, query);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return json::parse(reply.body);
  }
  static std::vector<int> numbers(const json& list) {
    std::vector<int> out;
    for (const json& m : list["data"]) {
      out.push_back(std::stoi(m["content"][0]["text"]["value"].get<std::string>()));
    }
    return out;
  }

  static inline auth::NearCredentials alice_ = auth::generate_implicit_credentials();
  static inline std::string big_;
};

TEST_F(ThreadsPagination, AscendingWalkSeesEveryMessageOnce) {
  std::vector<int> seen;
  std::string query = "?order=asc&limit=100";
  for (int pages = 0;; ++pages) {
    ASSERT_LT(pages, 20);
    const json list = page(big_, query);
    for (int n : numbers(list)) seen.push_back(n);
    EXPECT_EQ(list["first_id"], list["data"].front()["id"]);
    EXPECT_EQ(list["last_id"], list["data"].back()["id"]);
    if (!list["has_more"].get<bool>()) break;
    query = "?order=asc&limit=100&after=" + list["last_id"].get<std::string>();
  }
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
}

TEST_F(ThreadsPagination, DescendingWalkFollowsOpenAiCursors) {
  // The SDK's auto-pagination: order=desc, after=<last id> until has_more is false.
  std::vector<int> seen;
  std::string query = "?limit=300";
  for (int pages = 0;; ++pages) {
    ASSERT_LT(pages, 10);
    const json list = page(big_, query);
    for (int n : numbers(list)) seen.push_back(n);
    if (!list["has_more"].get<bool>()) break;
    query = "?limit=300&after=" + list["last_id"].get<std::string>();
  }
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i)
    EXPECT_EQ(seen[static_cast<std::size_t>(i)], kMessages - 1 - i);
}

TEST_F(ThreadsPagination, BeforeGivesTheItemsJustBeforeTheCursor) {
  const json first = page(big_, "?order=asc&limit=10");
  const std::string tenth = first["data"][9]["id"];
  const json before = page(big_, "?order=asc&limit=3&before=" + tenth);
  EXPECT_EQ(numbers(before), (std::vector<int>{6, 7, 8}));
  EXPECT_TRUE(before["has_more"].get<bool>());
  const json desc = page(big_, "?order=desc&limit=3&before=" + tenth);
  EXPECT_EQ(numbers(desc), (std::vector<int>{12, 11, 10}));
  const json start = page(big_, "?order=asc&limit=20&before=" + tenth);
  EXPECT_EQ(numbers(start).size(), 9u);
  EXPECT_FALSE(start["has_more"].get<bool>());
}

TEST_F(ThreadsPagination, LimitEdges) {
  const json zero = page(big_, "?limit=0");
  EXPECT_EQ(zero.dump(),
            R"({"object":"list","data":[],"first_id":"","last_id":"","has_more":true})");
  const json thousand = page(big_, "?limit=1000&order=asc");
  EXPECT_EQ(thousand["data"].size(), 1000u);
  EXPECT_TRUE(thousand["has_more"].get<bool>());
  const json all = page(big_, "?limit=10000&order=asc");  // agents ask for 10,000
  EXPECT_EQ(all["data"].size(), static_cast<std::size_t>(kMessages));
  EXPECT_FALSE(all["has_more"].get<bool>());
  const json exact = page(big_, "?limit=" + std::to_string(kMessages));
  EXPECT_FALSE(exact["has_more"].get<bool>());
  const json defaults = page(big_, "");
  EXPECT_EQ(numbers(defaults).front(), kMessages - 1);
  EXPECT_EQ(defaults["data"].size(), 20u);
  const json unknown = page(big_, "?limit=2&order=asc&after=msg_000000000000000000000000");
  EXPECT_EQ(numbers(unknown), (std::vector<int>{0, 1}));
}

TEST_F(ThreadsPagination, RunIdFilterAndSubthreads) {
  const std::string thread = api().new_thread();
  api().new_message(thread, "0");
  ASSERT_EQ(api()
                .add_message(thread, {{"role", "assistant"}, {"content", "1"}, {"run_id", "run_a"}})
                .status,
            200);
  ASSERT_EQ(api()
                .add_message(thread, {{"role", "assistant"}, {"content", "2"}, {"run_id", "run_b"}})
                .status,
            200);
  EXPECT_EQ(numbers(page(thread, "?run_id=run_a")), (std::vector<int>{1}));
  EXPECT_EQ(numbers(page(thread, "?run_id=run_none")), (std::vector<int>{}));
  const Reply child =
      api().subthread(thread, {{"new_messages", {{{"role", "user"}, {"content", "3"}}}}});
  ASSERT_EQ(child.status, 200) << child.body;
  EXPECT_EQ(numbers(page(thread, "?order=asc")), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(numbers(page(thread, "?order=asc&include_subthreads=false")),
            (std::vector<int>{0, 1, 2}));
  // Grandchildren are not included (one level only).
  const std::string child_id = child.json()["id"];
  ASSERT_EQ(
      api().subthread(child_id, {{"new_messages", {{{"role", "user"}, {"content", "4"}}}}}).status,
      200);
  EXPECT_EQ(numbers(page(thread, "?order=asc")), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(numbers(page(child_id, "?order=asc")), (std::vector<int>{3, 4}));
}

TEST_F(ThreadsPagination, OutputFileMessagesCollapseToTheNewest) {
  const std::string thread = api().new_thread();
  const auto output = [&](const std::string& name) {
    const Reply reply =
        api().add_message(thread, {{"role", "assistant"},
                                   {"content", "Output file: " + name},
                                   {"attachments", {{{"file_id", "file_" + name}}}}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json()["id"].get<std::string>();
  };
  output("log.txt");
  api().new_message(thread, "between");
  output("other.txt");
  const std::string newest = output("log.txt");
  const json list = page(thread, "?order=asc");
  ASSERT_EQ(list["data"].size(), 3u) << list.dump();
  EXPECT_EQ(list["data"][2]["id"], newest);
  EXPECT_EQ(list["last_id"], newest);
  EXPECT_EQ(list["data"][0]["content"][0]["text"]["value"], "between");
}

}  // namespace
}  // namespace nearhub::e2e
