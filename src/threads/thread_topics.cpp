#include "threads/thread_topics.h"

#include <spdlog/spdlog.h>

#include "threads/store.h"

namespace nearhub::threads {

using nlohmann::ordered_json;

namespace {

constexpr const char* kInstructions =
    "Give the subject of the user's message as a title of at most five words, for example "
    "\"Weather in Tokyo\" or \"Trip to Lisbon\". Answer with the title only.";
// How far back the latest user message is looked for.
constexpr std::int64_t kRecentMessages = 20;
constexpr std::size_t kMaxTopicBytes = 200;

bool has_topic(const std::optional<ordered_json>& metadata) {
  return metadata && metadata->is_object() && metadata->contains("topic");
}

// The text blocks of a message, joined.
std::string text_of(const Message& message) {
  std::string text;
  for (const ordered_json& block : message.content) {
    if (block.value("type", "") != "text") continue;
    if (!text.empty()) text += "\n";
    text += block["text"].value("value", "");
  }
  return text;
}

// The answer as a title: one line, no surrounding quotes or spaces, bounded.
std::string clean_topic(std::string topic) {
  topic = topic.substr(0, topic.find('\n'));
  const auto trim = [](std::string& s, const char* chars) {
    s.erase(0, s.find_first_not_of(chars));
    const std::size_t last = s.find_last_not_of(chars);
    s.erase(last == std::string::npos ? 0 : last + 1);
  };
  trim(topic, " \t\r\"'");
  if (topic.size() > kMaxTopicBytes) topic.resize(kMaxTopicBytes);
  return topic;
}

}  // namespace

ThreadTopics::ThreadTopics(db::Database& database, Summarize summarize)
    : database_(database), summarize_(std::move(summarize)), pool_(1) {}

void ThreadTopics::after_message(const std::string& thread_id) {
  pool_.post([this, thread_id] { name(thread_id); });
}

void ThreadTopics::name(const std::string& thread_id) {
  std::string text;
  {
    auto session = database_.session();
    ThreadStore store(*session);
    const std::optional<Thread> thread = store.find_thread(thread_id);
    if (!thread || has_topic(thread->metadata)) return;
    // The most recent message that is not the assistant's.
    for (const Message& message : store.list_messages(
             {.thread_ids = {thread_id}, .ascending = false, .limit = kRecentMessages})) {
      if (message.role != "assistant") {
        text = text_of(message);
        break;
      }
    }
  }
  if (text.empty()) return;
  std::string topic;
  try {
    topic = clean_topic(
        summarize_(nlohmann::json::array({{{"role", "system"}, {"content", kInstructions}},
                                          {{"role", "user"}, {"content", text}}})));
  } catch (const std::exception& error) {
    spdlog::warn("thread {}: no topic: {}", thread_id, error.what());
    return;
  }
  if (topic.empty()) return;
  auto session = database_.session();
  ThreadStore store(*session);
  db::Transaction transaction(*session);
  const std::optional<Thread> thread = store.find_thread(thread_id);
  if (!thread || has_topic(thread->metadata)) return;  // deleted or named meanwhile
  ordered_json metadata = thread->metadata && thread->metadata->is_object()
                              ? *thread->metadata
                              : ordered_json::object();
  metadata["topic"] = topic;
  store.update_thread(thread_id, metadata, std::nullopt);
  transaction.commit();
}

}  // namespace nearhub::threads
