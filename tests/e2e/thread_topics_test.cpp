// Thread names (spec/assistants.md §2.8): with threads.topic_model set, a thread without a topic
// gets one from the model after a message arrives, without delaying the message; a thread that
// has a topic keeps it; without the setting nothing is named.

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "auth/credentials.h"
#include "e2e/support/inference_support.h"
#include "e2e/support/threads_api.h"
#include "fake_openai/fake_openai_server.h"

namespace nearhub::e2e {
namespace {

using nlohmann::json;

TEST(ThreadTopics, AThreadIsNamedAfterItsLatestUserMessage) {
  testing::FakeOpenAiServer fake;
  ServerProcess server(
      inference_server_options("[providers.local]\nbase_url = \"" + fake.base_url() + "\"\n",
                               {{"NEARHUB_THREADS_TOPIC_MODEL", "local::test-model"}}));
  const ThreadsApi alice(Client(server.base_url()), auth::generate_implicit_credentials());

  const std::string thread = alice.new_thread({{"metadata", {{"color", "blue"}}}});
  alice.new_message(thread, "Trip to Lisbon");
  json metadata;
  ASSERT_TRUE(eventually([&] {
    metadata = alice.get_thread(thread).json()["metadata"];
    return metadata.contains("topic");
  }));
  // The fake model echoes the message it was asked to name.
  EXPECT_EQ(metadata["topic"], "echo: Trip to Lisbon");
  EXPECT_EQ(metadata["color"], "blue");
  // The hub's own call: the instructions, then the user's text.
  const json sent = json::parse(fake.received().back().body);
  EXPECT_EQ(sent["messages"][0]["role"], "system");
  EXPECT_EQ(sent["messages"][1], json({{"role", "user"}, {"content", "Trip to Lisbon"}}));

  // A thread with a topic keeps it: no further call is made.
  const std::size_t calls = fake.received().size();
  const std::string named = alice.new_thread({{"metadata", {{"topic", "Mine"}}}});
  alice.new_message(named, "something else");
  alice.new_message(thread, "and more");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(fake.received().size(), calls);
  EXPECT_EQ(alice.get_thread(named).json()["metadata"]["topic"], "Mine");
  EXPECT_EQ(alice.get_thread(thread).json()["metadata"]["topic"], "echo: Trip to Lisbon");
}

TEST(ThreadTopics, WithoutAModelThreadsAreNotNamed) {
  testing::FakeOpenAiServer fake;
  ServerProcess server(
      inference_server_options("[providers.local]\nbase_url = \"" + fake.base_url() + "\"\n"));
  const ThreadsApi alice(Client(server.base_url()), auth::generate_implicit_credentials());
  const std::string thread = alice.new_thread();
  alice.new_message(thread, "Weather in Tokyo");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(alice.get_thread(thread).json()["metadata"].contains("topic"));
  EXPECT_TRUE(fake.received().empty());
}

}  // namespace
}  // namespace nearhub::e2e
