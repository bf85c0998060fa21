#pragma once
// Names threads (spec/assistants.md §2.8 "Topic generation"): after a message is added to a
// thread whose metadata has no `topic`, a background task asks a model to sum the thread's latest
// user message up in a few words and stores the answer as `metadata.topic` — the title the hub's
// web app shows. It runs after the response, never delays it, and failures are only logged; the
// next message tries again until the thread has a topic. Which model names threads is
// configured (threads.topic_model); without one, threads are not named.

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "db/database.h"
#include "util/task_pool.h"

namespace nearhub::threads {

class ThreadTopics {
 public:
  // Answers `messages` (an OpenAI chat messages array) with the model's text; may throw.
  using Summarize = std::function<std::string(const nlohmann::json& messages)>;

  ThreadTopics(db::Database& database, Summarize summarize);

  // Queues naming `thread_id` if it has no topic yet.
  void after_message(const std::string& thread_id);

 private:
  void name(const std::string& thread_id);

  db::Database& database_;
  Summarize summarize_;
  util::TaskPool pool_;  // last: stops (dropping queued names) before the rest goes
};

}  // namespace nearhub::threads
