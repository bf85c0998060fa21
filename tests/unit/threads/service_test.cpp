// ThreadService on both engines: ownership (spec/assistants.md §2: 404, then 403, and nothing
// changes), creation with messages, fork, subthreads, deletion, and the message list cursor
// rules (§2.9 [REC]) at their edges.

#include "threads/service.h"

#include <gtest/gtest.h>

#include "api/error.h"
#include "unit/db/engine_under_test.h"

namespace nearhub::threads {
namespace {

using nlohmann::ordered_json;

api::Identity as(const std::string& account) {
  api::Identity identity;
  identity.account_id = account;
  return identity;
}

template <typename Call>
std::string failure(Call&& call) {
  try {
    call();
  } catch (const api::Error& error) {
    return std::to_string(error.status()) + " " + error.message();
  }
  return "no error";
}

NewMessage text(const std::string& content, const std::string& role = "user") {
  return NewMessage::from_json({{"role", role}, {"content", content}});
}

std::string texts(const MessagePage& page) {
  std::string out;
  for (const Message& message : page.data) {
    out += message.content.at(0).at("text").at("value").get<std::string>() + " ";
  }
  return out;
}

const char* const kNoPermission =
    "403 You don't have permission to access messages from this thread";

class ThreadServiceTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database();
    database_->migrate();
    service_ = std::make_unique<ThreadService>(*database_);
  }

  // A thread of alice's with messages "m1".."m<count>".
  Thread thread_with(int count) {
    std::vector<NewMessage> messages;
    for (int i = 1; i <= count; ++i) messages.push_back(text("m" + std::to_string(i)));
    return service_->create_thread(alice_, std::nullopt, std::nullopt, messages);
  }
  MessagePage list(const Thread& thread, MessageListQuery query) {
    return service_->list_messages(alice_, thread.id, query);
  }
  std::string id_of(const Thread& thread, int index) {  // 1-based, insertion order
    MessageListQuery all;
    all.ascending = true;
    all.limit = 1000;
    return list(thread, all).data.at(static_cast<std::size_t>(index - 1)).id;
  }

  api::Identity alice_ = as("alice.near");
  api::Identity bob_ = as("bob.near");
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<ThreadService> service_;
};

TEST_P(ThreadServiceTest, CreateKeepsTheGivenMessagesInOrder) {
  const Thread thread = thread_with(3);
  EXPECT_TRUE(thread.id.starts_with("thread_"));
  EXPECT_EQ(thread.id.size(), 7u + 24u);
  MessageListQuery query;
  query.ascending = true;
  EXPECT_EQ(texts(list(thread, query)), "m1 m2 m3 ");
  query.ascending = false;
  EXPECT_EQ(texts(list(thread, query)), "m3 m2 m1 ");
}

TEST_P(ThreadServiceTest, OtherAccountsGet403AndChangeNothing) {
  const Thread thread = thread_with(2);
  const std::string message_id = id_of(thread, 1);
  EXPECT_EQ(failure([&] { service_->get_thread(bob_, thread.id); }), kNoPermission);
  EXPECT_EQ(failure([&] {
              service_->modify_thread(bob_, thread.id, ordered_json{{"a", "b"}}, std::nullopt);
            }),
            kNoPermission);
  EXPECT_EQ(failure([&] { service_->delete_thread(bob_, thread.id); }), kNoPermission);
  EXPECT_EQ(failure([&] { service_->fork_thread(bob_, thread.id); }), kNoPermission);
  EXPECT_EQ(failure([&] { service_->add_message(bob_, thread.id, text("x")); }), kNoPermission);
  EXPECT_EQ(failure([&] { service_->list_messages(bob_, thread.id, {}); }), kNoPermission);
  EXPECT_EQ(
      failure([&] {
        service_->update_message_metadata(bob_, thread.id, message_id, ordered_json{{"k", "v"}});
      }),
      kNoPermission);
  EXPECT_EQ(failure([&] { service_->create_subthread(bob_, thread.id, {message_id}, {}); }),
            "403 You don't have permission to create a subthread for this thread");
  EXPECT_TRUE(service_->list_threads(bob_, true).empty());

  const Thread after = service_->get_thread(alice_, thread.id);
  EXPECT_FALSE(after.metadata.has_value());
  MessageListQuery query;
  query.ascending = true;
  const MessagePage page = list(thread, query);
  EXPECT_EQ(texts(page), "m1 m2 ");
  EXPECT_FALSE(page.data.front().metadata.has_value());
  EXPECT_EQ(service_->list_threads(alice_, true).size(), 1u);
}

TEST_P(ThreadServiceTest, UnknownIdsAre404) {
  EXPECT_EQ(failure([&] { service_->get_thread(alice_, "thread_nope"); }), "404 Thread not found");
  EXPECT_EQ(failure([&] { service_->create_subthread(alice_, "thread_nope", {}, {}); }),
            "404 Parent thread not found");
  const Thread thread = thread_with(1);
  EXPECT_EQ(failure([&] {
              service_->update_message_metadata(alice_, thread.id, "msg_nope", std::nullopt);
            }),
            "404 Message not found");
  // A message of another thread named under this one is not found (§2.10 [REC]).
  const Thread other = thread_with(1);
  const std::string other_message = id_of(other, 1);
  EXPECT_EQ(failure([&] {
              service_->update_message_metadata(alice_, thread.id, other_message,
                                                ordered_json{{"k", "v"}});
            }),
            "404 Message not found");
  EXPECT_FALSE(service_->get_message(alice_, other.id, other_message).metadata.has_value());
}

TEST_P(ThreadServiceTest, ModifyReplacesAndNormalizesMetadata) {
  const Thread thread = service_->create_thread(
      alice_, ordered_json{{"topic", "t"}, {"agent_ids", ordered_json::array({"a/b/1"})}},
      std::nullopt, {});
  const Thread modified = service_->modify_thread(
      alice_, thread.id, ordered_json{{"agent_ids", "a/b/1,c/d/2"}, {"owner_id", "alice.near"}},
      std::nullopt);
  EXPECT_EQ(modified.metadata->dump(), R"({"agent_ids":["a/b/1","c/d/2"]})");
  EXPECT_EQ(service_->get_thread(alice_, thread.id).metadata->dump(),
            R"({"agent_ids":["a/b/1","c/d/2"]})");
  service_->modify_thread(alice_, thread.id, std::nullopt, std::nullopt);  // unchanged
  EXPECT_EQ(service_->get_thread(alice_, thread.id).metadata->dump(),
            R"({"agent_ids":["a/b/1","c/d/2"]})");
}

TEST_P(ThreadServiceTest, ForkCopiesEveryMessageInOrder) {
  const Thread thread = thread_with(3);
  service_->update_message_metadata(alice_, thread.id, id_of(thread, 2), ordered_json{{"k", "v"}});
  const Thread fork = service_->fork_thread(alice_, thread.id);
  EXPECT_NE(fork.id, thread.id);
  MessageListQuery query;
  query.ascending = true;
  const MessagePage copies = list(fork, query);
  EXPECT_EQ(texts(copies), "m1 m2 m3 ");
  EXPECT_EQ(copies.data.at(1).metadata->dump(), R"({"k":"v"})");
  EXPECT_NE(copies.data.at(0).id, id_of(thread, 1));
  EXPECT_LT(copies.data.at(0).created_at, copies.data.at(1).created_at);
}

TEST_P(ThreadServiceTest, SubthreadCopiesNamedParentMessagesThenNewOnes) {
  const Thread parent = thread_with(3);
  const Thread other = thread_with(1);
  const Thread child = service_->create_subthread(
      alice_, parent.id, {id_of(parent, 3), id_of(other, 1), id_of(parent, 1)}, {text("new")});
  EXPECT_EQ(child.parent_id, parent.id);
  MessageListQuery query;
  query.ascending = true;
  query.include_subthreads = false;
  EXPECT_EQ(texts(list(child, query)), "m1 m3 new ");
  // The parent's list includes its direct children's messages by default.
  query.include_subthreads = true;
  EXPECT_EQ(texts(list(parent, query)), "m1 m2 m3 m1 m3 new ");
  query.include_subthreads = false;
  EXPECT_EQ(texts(list(parent, query)), "m1 m2 m3 ");
  EXPECT_EQ(service_->list_threads(alice_, false).size(), 2u);
  EXPECT_EQ(service_->list_threads(alice_, true).size(), 3u);
}

TEST_P(ThreadServiceTest, DeleteRemovesMessagesAndPromotesSubthreads) {
  const Thread parent = thread_with(2);
  const std::string message_id = id_of(parent, 1);
  const Thread child = service_->create_subthread(alice_, parent.id, {}, {text("c")});
  service_->delete_thread(alice_, parent.id);
  EXPECT_EQ(failure([&] { service_->get_thread(alice_, parent.id); }), "404 Thread not found");
  EXPECT_EQ(failure([&] { service_->get_message(alice_, parent.id, message_id); }),
            "404 Message not found");
  EXPECT_FALSE(service_->get_thread(alice_, child.id).parent_id.has_value());
  EXPECT_EQ(service_->list_threads(alice_, false).size(), 1u);
}

TEST_P(ThreadServiceTest, PaginationAscending) {
  const Thread thread = thread_with(5);
  MessageListQuery query;
  query.ascending = true;
  query.limit = 2;
  MessagePage page = list(thread, query);
  EXPECT_EQ(texts(page), "m1 m2 ");
  EXPECT_TRUE(page.has_more);
  query.after = page.data.back().id;
  page = list(thread, query);
  EXPECT_EQ(texts(page), "m3 m4 ");
  EXPECT_TRUE(page.has_more);
  query.after = page.data.back().id;
  page = list(thread, query);
  EXPECT_EQ(texts(page), "m5 ");
  EXPECT_FALSE(page.has_more);
  query.after = page.data.back().id;  // after the last: empty, no more
  page = list(thread, query);
  EXPECT_EQ(texts(page), "");
  EXPECT_FALSE(page.has_more);
  // Exactly `limit` left: has_more is false (the original would say true).
  query.after = id_of(thread, 3);
  page = list(thread, query);
  EXPECT_EQ(texts(page), "m4 m5 ");
  EXPECT_FALSE(page.has_more);
  // before: the items just before the cursor, in list order.
  query.after.reset();
  query.before = id_of(thread, 5);
  page = list(thread, query);
  EXPECT_EQ(texts(page), "m3 m4 ");
  EXPECT_TRUE(page.has_more);
  // after and before together: the window between them.
  query.after = id_of(thread, 1);
  query.limit = 10;
  page = list(thread, query);
  EXPECT_EQ(texts(page), "m2 m3 m4 ");
  EXPECT_FALSE(page.has_more);
}

TEST_P(ThreadServiceTest, PaginationDescendingFollowsOpenAi) {
  const Thread thread = thread_with(5);
  MessageListQuery query;
  query.limit = 2;
  MessagePage page = list(thread, query);
  EXPECT_EQ(texts(page), "m5 m4 ");
  EXPECT_TRUE(page.has_more);
  query.after = page.data.back().id;  // older than the cursor
  page = list(thread, query);
  EXPECT_EQ(texts(page), "m3 m2 ");
  query.after = page.data.back().id;
  page = list(thread, query);
  EXPECT_EQ(texts(page), "m1 ");
  EXPECT_FALSE(page.has_more);
  query.after.reset();
  query.before = id_of(thread, 1);  // newer than the cursor, nearest first page
  page = list(thread, query);
  EXPECT_EQ(texts(page), "m3 m2 ");
  EXPECT_TRUE(page.has_more);
}

TEST_P(ThreadServiceTest, PaginationEdges) {
  const Thread thread = thread_with(3);
  const Thread other = thread_with(2);
  MessageListQuery query;
  query.ascending = true;
  query.limit = 0;
  MessagePage page = list(thread, query);
  EXPECT_EQ(texts(page), "");
  EXPECT_TRUE(page.has_more);
  query.limit = 20;
  query.after = "msg_unknown";  // ignored
  EXPECT_EQ(texts(list(thread, query)), "m1 m2 m3 ");
  query.after = id_of(other, 1);  // another thread's message: ignored
  EXPECT_EQ(texts(list(thread, query)), "m1 m2 m3 ");
  const Thread empty = thread_with(0);
  query.after.reset();
  page = list(empty, query);
  EXPECT_TRUE(page.data.empty());
  EXPECT_FALSE(page.has_more);
}

TEST_P(ThreadServiceTest, RunIdFilter) {
  const Thread thread = thread_with(1);
  NewMessage reply = text("r", "assistant");
  reply.run_id = "run_1";
  reply.assistant_id = "ns/agent/1";
  service_->add_message(alice_, thread.id, reply);
  service_->add_message(alice_, thread.id, text("after"));
  MessageListQuery query;
  query.run_id = "run_1";
  const MessagePage page = list(thread, query);
  ASSERT_EQ(page.data.size(), 1u);
  EXPECT_EQ(page.data.front().role, "assistant");
  EXPECT_EQ(page.data.front().assistant_id, "ns/agent/1");
}

INSTANTIATE_ENGINE_SUITE(ThreadServiceTest);

}  // namespace
}  // namespace nearhub::threads
