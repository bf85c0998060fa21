// Threads and messages over HTTP (spec/assistants.md §1.7, §2.1–2.10): exact response shapes,
// every bad input's status and body, and that a refused request leaves the stored data as it was.

#include <gtest/gtest.h>

#include <chrono>

#include "auth/credentials.h"
#include "e2e/support/shared_server.h"
#include "e2e/support/threads_api.h"

namespace nearhub::e2e {
namespace {

using json = nlohmann::ordered_json;
using nlohmann::ordered_json;

class ThreadsEndpoints : public SharedServerTest<ThreadsEndpoints> {
 protected:
  ThreadsApi alice() const { return ThreadsApi(client(), alice_); }
  // {"detail": text}
  static std::string detail(const std::string& text) { return json{{"detail", text}}.dump(); }
  static std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  // The reply's JSON with its (checked) "created_at" replaced by 0, so shapes compare exactly.
  static ordered_json stable(const Reply& reply) {
    EXPECT_EQ(reply.status, 200) << reply.body;
    ordered_json body = ordered_json::parse(reply.body);
    const auto check = [](ordered_json& object) {
      const std::int64_t created = object.at("created_at").get<std::int64_t>();
      EXPECT_LE(std::abs(created - now_s()), 5) << object.dump();
      object["created_at"] = 0;
    };
    if (body.contains("data")) {
      for (ordered_json& item : body["data"]) check(item);
    } else if (body.is_array()) {
      for (ordered_json& item : body) check(item);
    } else {
      check(body);
    }
    return body;
  }
  static std::string message_shape(
      const std::string& id, const std::string& thread_id, const std::string& role,
      const std::string& content,
      const std::string& extra =
          R"("assistant_id":null,"run_id":null,"attachments":null,"metadata":null)") {
    return R"({"id":")" + id + R"(","object":"thread.message","created_at":0,"thread_id":")" +
           thread_id +
           R"(","status":"completed","incomplete_details":null,"completed_at":null,)"
           R"("incomplete_at":null,"role":")" +
           role + R"(","content":)" + content + "," + extra + "}";
  }
  static std::string text_block(const std::string& text) {
    return R"({"type":"text","text":{"value":")" + text + R"(","annotations":[]}})";
  }

  auth::NearCredentials alice_ = auth::generate_implicit_credentials();
};

TEST_F(ThreadsEndpoints, EveryEndpointNeedsAToken) {
  const std::string id = alice().new_thread();
  const std::vector<std::pair<std::string, std::string>> calls = {
      {"POST", "/v1/threads"},
      {"GET", "/v1/threads"},
      {"GET", "/v1/threads/" + id},
      {"POST", "/v1/threads/" + id},
      {"DELETE", "/v1/threads/" + id},
      {"POST", "/v1/threads/" + id + "/fork"},
      {"POST", "/v1/threads/" + id + "/subthread"},
      {"POST", "/v1/threads/" + id + "/messages"},
      {"GET", "/v1/threads/" + id + "/messages"},
      {"PATCH", "/v1/threads/" + id + "/messages/msg_x"}};
  for (const auto& [method, path] : calls) {
    const Reply reply = client().request(method, path, "{}", {});
    EXPECT_EQ(reply.status, 403) << method << " " << path;
    EXPECT_EQ(reply.body, detail("Authorization required")) << method << " " << path;
  }
  EXPECT_EQ(alice().get_thread(id).status, 200);
}

TEST_F(ThreadsEndpoints, CreateThreadAnswersTheThreadShape) {
  const Reply reply = alice().create_thread(json::parse(
      R"({"metadata":{"topic":"Trip to Lisbon","agent_ids":["ns/a/1","ns/b/2"],"a":"x"},)"
      R"("tool_resources":{"file_search":{"vector_store_ids":["vs_1"]}}})"));
  const ordered_json body = stable(reply);
  const std::string id = body.at("id");
  EXPECT_TRUE(id.starts_with("thread_")) << id;
  EXPECT_EQ(id.size(), 31u);
  const std::string expected =
      R"({"id":")" + id +
      R"(","object":"thread","created_at":0,"metadata":{"topic":"Trip to Lisbon",)"
      R"("agent_ids":"ns/a/1,ns/b/2","a":"x","owner_id":")" +
      alice_.account_id + R"("},"tool_resources":null})";
  EXPECT_EQ(body.dump(), expected);
  EXPECT_EQ(stable(alice().get_thread(id)).dump(), expected);
  // An empty object is a thread without metadata.
  const ordered_json empty = stable(alice().create_thread());
  EXPECT_EQ(empty.at("metadata").dump(), R"({"owner_id":")" + alice_.account_id + R"("})");
}

TEST_F(ThreadsEndpoints, CreateThreadKeepsItsMessagesInOrder) {
  const Reply reply = alice().create_thread(json::parse(
      R"({"messages":[{"role":"user","content":"first"},)"
      R"({"role":"assistant","content":[{"type":"text","text":"second"}],"metadata":{"k":"v"}},)"
      R"({"role":"user","content":"third","attachments":[{"file_id":"file_1"}]}]})"));
  const std::string id = stable(reply).at("id");
  const ordered_json list = stable(alice().list_messages(id, "?order=asc"));
  ASSERT_EQ(list.at("data").size(), 3u) << list.dump();
  const auto& data = list.at("data");
  EXPECT_EQ(data[0].dump(),
            message_shape(data[0].at("id"), id, "user", "[" + text_block("first") + "]"));
  EXPECT_EQ(data[1].dump(),
            message_shape(
                data[1].at("id"), id, "assistant", "[" + text_block("second") + "]",
                R"("assistant_id":null,"run_id":null,"attachments":null,"metadata":{"k":"v"})"));
  EXPECT_EQ(
      data[2].dump(),
      message_shape(
          data[2].at("id"), id, "user", "[" + text_block("third") + "]",
          R"("assistant_id":null,"run_id":null,"attachments":[{"file_id":"file_1","tools":null}],"metadata":null)"));
  EXPECT_EQ(list.at("first_id"), data[0].at("id"));
  EXPECT_EQ(list.at("last_id"), data[2].at("id"));
  EXPECT_EQ(list.at("has_more"), false);
}

TEST_F(ThreadsEndpoints, CreateThreadBadInputsCreateNothing) {
  const ThreadsApi api(client(), auth::generate_implicit_credentials());
  struct Case {
    std::string body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "[{'type': 'missing', 'loc': ('body',), 'msg': 'Field required', 'input': None}]"},
      {R"({"metadata":{"n":1}})",
       "[{'type': 'string_type', 'loc': ('body', 'metadata', 'n'), 'msg': 'Input should be a "
       "valid string', 'input': 1}]"},
      {R"({"messages":[{"role":"system","content":"x"}]})",
       "[{'type': 'enum', 'loc': ('body', 'messages', 0, 'role'), 'msg': \"Input should be "
       "'user' or 'assistant'\", 'input': 'system', 'ctx': {'expected': \"'user' or "
       "'assistant'\"}}]"},
      {R"({"messages":[{"role":"user"}]})",
       "[{'type': 'missing', 'loc': ('body', 'messages', 0, 'content'), 'msg': 'Field "
       "required', 'input': {'role': 'user'}}]"},
      {R"({"tool_resources":"x"})",
       "[{'type': 'dict_type', 'loc': ('body', 'tool_resources'), 'msg': 'Input should be a "
       "valid dictionary', 'input': 'x'}]"},
  };
  for (const Case& c : cases) {
    const Reply reply = api.call("POST", "/v1/threads", c.body);
    EXPECT_EQ(reply.status, 422) << c.body;
    EXPECT_EQ(reply.body,
              json({{"status_code", 422}, {"message", c.message}, {"data", nullptr}}).dump())
        << c.body;
  }
  EXPECT_EQ(api.list_threads().body, "[]");
}

TEST_F(ThreadsEndpoints, ListThreadsNewestFirstWithOrWithoutSubthreads) {
  const ThreadsApi api(client(), auth::generate_implicit_credentials());
  const std::string first = api.new_thread();
  const std::string second = api.new_thread({{"metadata", {{"topic", "b"}}}});
  const Reply sub = api.subthread(second, json::object());
  ASSERT_EQ(sub.status, 200) << sub.body;
  const std::string child = sub.json().at("id");
  const auto ids = [&](const std::string& query) {
    std::vector<std::string> out;
    for (const auto& thread : api.list_threads(query).json()) out.push_back(thread.at("id"));
    return out;
  };
  EXPECT_EQ(ids(""), (std::vector<std::string>{child, second, first}));
  EXPECT_EQ(ids("?include_subthreads=true"), (std::vector<std::string>{child, second, first}));
  EXPECT_EQ(ids("?include_subthreads=false"), (std::vector<std::string>{second, first}));
  const Reply bad = api.list_threads("?include_subthreads=maybe");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json().at("message"),
            "[{'type': 'bool_parsing', 'loc': ('query', 'include_subthreads'), 'msg': 'Input "
            "should be a valid boolean, unable to interpret input', 'input': 'maybe'}]");
}

TEST_F(ThreadsEndpoints, ModifyThreadReplacesMetadata) {
  const std::string id =
      alice().new_thread({{"metadata", {{"topic", "t"}, {"agent_ids", {"ns/a/1"}}}}});
  // What the demo sends back: the emitted metadata, comma string and owner_id included.
  const ordered_json shown = stable(alice().get_thread(id)).at("metadata");
  ordered_json modified = shown;
  modified["agent_ids"] = "ns/a/1,ns/b/2";
  const Reply reply = alice().modify_thread(id, {{"metadata", modified}});
  const std::string expected =
      R"({"topic":"t","agent_ids":"ns/a/1,ns/b/2","owner_id":")" + alice_.account_id + R"("})";
  EXPECT_EQ(stable(reply).at("metadata").dump(), expected);
  // The fork shows what is stored: agent_ids as a list, no owner_id.
  EXPECT_EQ(stable(alice().fork(id)).at("metadata").dump(),
            R"({"topic":"t","agent_ids":["ns/a/1","ns/b/2"]})");
  // null or absent: unchanged; {}: cleared.
  EXPECT_EQ(stable(alice().modify_thread(id, {{"metadata", nullptr}})).at("metadata").dump(),
            expected);
  EXPECT_EQ(stable(alice().modify_thread(id, json::object())).at("metadata").dump(), expected);
  EXPECT_EQ(stable(alice().modify_thread(id, {{"metadata", json::object()}})).at("metadata").dump(),
            R"({"owner_id":")" + alice_.account_id + R"("})");
}

TEST_F(ThreadsEndpoints, ModifyThreadBadInputsChangeNothing) {
  const std::string id = alice().new_thread({{"metadata", {{"topic", "t"}}}});
  const std::string before = alice().get_thread(id).body;
  const Reply bad = alice().modify_thread(id, {{"metadata", {{"topic", {{"x", 1}}}}}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json().at("message"),
            "[{'type': 'string_type', 'loc': ('body', 'metadata', 'topic'), 'msg': 'Input "
            "should be a valid string', 'input': {'x': 1}}]");
  const Reply list = alice().modify_thread(id, {{"metadata", {{"agent_ids", {1}}}}});
  EXPECT_EQ(list.status, 422) << list.body;
  const Reply unknown =
      alice().modify_thread("thread_000000000000000000000000", {{"metadata", {}}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body, detail("Thread not found"));
  EXPECT_EQ(alice().get_thread(id).body, before);
}

TEST_F(ThreadsEndpoints, DeleteThreadRemovesItAndItsMessages) {
  const std::string id = alice().new_thread();
  const std::string message = alice().new_message(id, "hi");
  const Reply reply = alice().delete_thread(id);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"id":")" + id + R"(","object":"thread.deleted","deleted":true})");
  EXPECT_EQ(alice().get_thread(id).body, detail("Thread not found"));
  EXPECT_EQ(alice().list_messages(id).status, 404);
  EXPECT_EQ(alice().get_message(id, message).body, detail("Message not found"));
  const Reply again = alice().delete_thread(id);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.body, detail("Thread not found"));
}

TEST_F(ThreadsEndpoints, ForkAnswersTheForkShapeAndCopiesMessages) {
  const std::string id = alice().new_thread(
      {{"metadata", {{"agent_ids", "ns/a/1"}}}, {"tool_resources", {{"code_interpreter", {}}}}});
  alice().new_message(id, "one");
  alice().new_message(id, "two");
  const ordered_json fork = stable(alice().fork(id));
  const std::string fork_id = fork.at("id");
  EXPECT_NE(fork_id, id);
  EXPECT_EQ(fork.dump(),
            R"({"id":")" + fork_id +
                R"(","object":"thread","created_at":0,"metadata":{"agent_ids":["ns/a/1"]}})");
  const ordered_json copies = stable(alice().list_messages(fork_id, "?order=asc"));
  ASSERT_EQ(copies.at("data").size(), 2u);
  EXPECT_EQ(copies["data"][0]["content"][0]["text"]["value"], "one");
  EXPECT_EQ(copies["data"][1]["content"][0]["text"]["value"], "two");
  EXPECT_EQ(copies["data"][0]["thread_id"], fork_id);
  // A thread without metadata forks to "metadata": null.
  const std::string bare = alice().new_thread();
  EXPECT_EQ(stable(alice().fork(bare)).at("metadata"), nullptr);
  EXPECT_EQ(alice().fork("thread_nope").body, detail("Thread not found"));
}

TEST_F(ThreadsEndpoints, SubthreadCopiesNamedMessagesAndAddsNewOnes) {
  const std::string parent = alice().new_thread({{"metadata", {{"topic", "p"}}}});
  const std::string one = alice().new_message(parent, "one");
  alice().new_message(parent, "two");
  const std::string three = alice().new_message(parent, "three");
  const Reply reply =
      alice().subthread(parent, {{"messages_to_copy", {three, 7, one}},
                                 {"new_messages", {{{"role", "assistant"}, {"content", "new"}}}}});
  const ordered_json child = stable(reply);
  const std::string child_id = child.at("id");
  EXPECT_EQ(child.dump(), R"({"id":")" + child_id +
                              R"(","object":"thread","created_at":0,"metadata":{"topic":"p",)"
                              R"("owner_id":")" +
                              alice_.account_id + R"(","parent_id":")" + parent +
                              R"("},"tool_resources":null})");
  const json messages = alice().list_messages(child_id, "?order=asc").json();
  std::vector<std::string> texts;
  for (const json& m : messages["data"]) texts.push_back(m["content"][0]["text"]["value"]);
  EXPECT_EQ(texts, (std::vector<std::string>{"one", "three", "new"}));
  // The agent library's {"null": null} body is an empty request (§2.7 [QUIRK]).
  const Reply quirk =
      alice().call("POST", "/v1/threads/" + parent + "/subthread", R"({"null": null})");
  EXPECT_EQ(quirk.status, 200) << quirk.body;
  const Reply missing = alice().call("POST", "/v1/threads/" + parent + "/subthread", "");
  EXPECT_EQ(missing.status, 422);
  const Reply bad =
      alice().subthread(parent, {{"new_messages", {{{"role", "system"}, {"content", "x"}}}}});
  EXPECT_EQ(bad.status, 422);
  const Reply nope = alice().subthread("thread_nope", json::object());
  EXPECT_EQ(nope.status, 404);
  EXPECT_EQ(nope.body, detail("Parent thread not found"));
  // Only the quirk's subthread and the first one exist.
  int children = 0;
  for (const auto& thread : alice().list_threads().json()) {
    if (thread["metadata"].value("parent_id", "") == parent) ++children;
  }
  EXPECT_EQ(children, 2);
}

TEST_F(ThreadsEndpoints, AddMessageAnswersTheMessageShape) {
  const std::string id = alice().new_thread();
  const Reply reply = alice().add_message(
      id, json::parse(R"({"role":"assistant","content":[{"type":"text","text":"hi"},)"
                      R"({"type":"image_url","image_url":{"url":"https://x/y.png"}}],)"
                      R"("attachments":[{"file_id":"file_a","tools":[{"type":"file_search"}]}],)"
                      R"("metadata":{"b":"2","a":"1"},"assistant_id":"ns/agent/1.0",)"
                      R"("run_id":"run_0123","unknown":true})"));
  const ordered_json body = stable(reply);
  const std::string message_id = body.at("id");
  EXPECT_TRUE(message_id.starts_with("msg_"));
  EXPECT_EQ(message_id.size(), 28u);
  EXPECT_EQ(
      body.dump(),
      message_shape(message_id, id, "assistant",
                    "[" + text_block("hi") +
                        R"(,{"type":"image_url","image_url":{"url":"https://x/y.png"}}])",
                    R"("assistant_id":"ns/agent/1.0","run_id":"run_0123",)"
                    R"("attachments":[{"file_id":"file_a","tools":[{"type":"file_search"}]}],)"
                    R"("metadata":{"b":"2","a":"1"})"));
  EXPECT_EQ(stable(alice().get_message(id, message_id)).dump(), body.dump());
  // An empty string is stored as one space.
  const ordered_json empty = stable(alice().add_message(id, {{"role", "user"}, {"content", ""}}));
  EXPECT_EQ(empty.at("content").dump(), "[" + text_block(" ") + "]");
}

TEST_F(ThreadsEndpoints, AddMessageBadInputsAddNothing) {
  const std::string id = alice().new_thread();
  alice().new_message(id, "kept");
  const std::string before = alice().list_messages(id).body;
  struct Case {
    json body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{{"role", "system"}, {"content", "x"}},
       "[{'type': 'enum', 'loc': ('body', 'role'), 'msg': \"Input should be 'user' or "
       "'assistant'\", 'input': 'system', 'ctx': {'expected': \"'user' or 'assistant'\"}}]"},
      {{{"role", "user"}, {"content", "x"}, {"metadata", {{"n", 1}}}},
       "[{'type': 'string_type', 'loc': ('body', 'metadata', 'n'), 'msg': 'Input should be a "
       "valid string', 'input': 1}]"},
      {{{"content", "x"}},
       "[{'type': 'missing', 'loc': ('body', 'role'), 'msg': 'Field required', 'input': "
       "{'content': 'x'}}]"},
      {{{"role", "user"}, {"content", "x"}, {"attachments", {{{"tools", nullptr}}}}},
       "[{'type': 'missing', 'loc': ('body', 'attachments', 0, 'file_id'), 'msg': 'Field "
       "required', 'input': {'tools': None}}]"},
  };
  for (const Case& c : cases) {
    const Reply reply = alice().add_message(id, c.body);
    EXPECT_EQ(reply.status, 422) << c.body;
    EXPECT_EQ(reply.json().at("message"), c.message) << c.body;
  }
  const Reply content = alice().add_message(id, {{"role", "user"}, {"content", 5}});
  EXPECT_EQ(content.status, 422) << content.body;
  const Reply part = alice().add_message(
      id, {{"role", "user"}, {"content", {{{"type", "video"}, {"video", "x"}}}}});
  EXPECT_EQ(part.status, 422) << part.body;
  const Reply unknown = alice().add_message("thread_nope", {{"role", "user"}, {"content", "x"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body, detail("Thread not found"));
  EXPECT_EQ(alice().list_messages(id).body, before);
}

TEST_F(ThreadsEndpoints, ListMessagesBadQueries) {
  const std::string id = alice().new_thread();
  const Reply order = alice().list_messages(id, "?order=up");
  EXPECT_EQ(order.status, 422);
  EXPECT_EQ(order.json().at("message"),
            "[{'type': 'enum', 'loc': ('query', 'order'), 'msg': \"Input should be 'asc' or "
            "'desc'\", 'input': 'up', 'ctx': {'expected': \"'asc' or 'desc'\"}}]");
  const Reply limit = alice().list_messages(id, "?limit=ten");
  EXPECT_EQ(limit.status, 422);
  const Reply negative = alice().list_messages(id, "?limit=-1");
  EXPECT_EQ(negative.status, 422);
  EXPECT_EQ(negative.json().at("message"),
            "[{'type': 'greater_than_equal', 'loc': ('query', 'limit'), 'msg': 'Input should be "
            "greater than or equal to 0', 'input': -1, 'ctx': {'ge': 0}}]");
  EXPECT_EQ(alice().list_messages("thread_nope").body, detail("Thread not found"));
  EXPECT_EQ(alice().list_messages(id).body,
            R"({"object":"list","data":[],"first_id":"","last_id":"","has_more":false})");
}

TEST_F(ThreadsEndpoints, MessageMetadataIsSetAndCleared) {
  const std::string id = alice().new_thread();
  const std::string message = alice().new_message(id, "hi");
  const Reply set = alice().patch_message(id, message, {{"metadata", {{"z", "1"}, {"a", "2"}}}});
  EXPECT_EQ(stable(set).at("metadata").dump(), R"({"z":"1","a":"2"})");
  EXPECT_EQ(stable(alice().get_message(id, message)).at("metadata").dump(), R"({"z":"1","a":"2"})");
  // OpenAI's verb (the SDK's messages.update) does the same.
  const Reply post = alice().call("POST", "/v1/threads/" + id + "/messages/" + message,
                                  R"({"metadata":{"k":"v"}})");
  EXPECT_EQ(stable(post).at("metadata").dump(), R"({"k":"v"})");
  const Reply cleared = alice().patch_message(id, message, {{"metadata", nullptr}});
  EXPECT_EQ(stable(cleared).at("metadata"), nullptr);
}

TEST_F(ThreadsEndpoints, MessageMetadataBadInputsChangeNothing) {
  const std::string id = alice().new_thread();
  const std::string other = alice().new_thread();
  const std::string message = alice().new_message(id, "hi");
  ASSERT_EQ(alice().patch_message(id, message, {{"metadata", {{"k", "v"}}}}).status, 200);
  const std::string before = alice().get_message(id, message).body;
  const Reply missing = alice().patch_message(id, message, json::object());
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.json().at("message"),
            "[{'type': 'missing', 'loc': ('body', 'metadata'), 'msg': 'Field required', "
            "'input': {}}]");
  const Reply number = alice().patch_message(id, message, {{"metadata", {{"k", 2}}}});
  EXPECT_EQ(number.status, 422);
  const Reply unknown = alice().patch_message(id, "msg_nope", {{"metadata", {{"k", "x"}}}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body, detail("Message not found"));
  // The path's thread must be the message's (§2.10 [REC]).
  const Reply elsewhere = alice().patch_message(other, message, {{"metadata", {{"k", "x"}}}});
  EXPECT_EQ(elsewhere.status, 404);
  EXPECT_EQ(elsewhere.body, detail("Message not found"));
  EXPECT_EQ(alice().get_message(other, message).body, detail("Message not found"));
  EXPECT_EQ(alice().get_message(id, message).body, before);
}

TEST_F(ThreadsEndpoints, RoutePrecedenceAndMethods) {
  const std::string id = alice().new_thread();
  const std::string message = alice().new_message(id, "hi");
  const Reply runs = alice().call("GET", "/v1/threads/runs");
  EXPECT_EQ(runs.status, 404);
  EXPECT_EQ(runs.body, detail("Thread not found"));
  const Reply del = alice().call("DELETE", "/v1/threads/" + id + "/messages/" + message);
  EXPECT_EQ(del.status, 405);
  EXPECT_EQ(del.body, detail("Method Not Allowed"));
  EXPECT_EQ(alice().get_message(id, message).status, 200);
}

}  // namespace
}  // namespace nearhub::e2e
