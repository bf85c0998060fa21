#pragma once
// Threads and messages (spec/assistants.md §2.1–2.10): ownership and the API's rules, no HTTP.
// Every operation on a thread id first checks it (`check_thread`): an unknown id is
// 404 "Thread not found", another account's thread 403 "You don't have permission to access
// messages from this thread", for reads and writes alike; a refused request changes nothing.
// Failures are thrown as api::Error.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/identity.h"
#include "db/database.h"
#include "threads/serialize.h"
#include "threads/store.h"

namespace nearhub::threads {

// One message to create, from a body validated against the MessageCreate schema.
struct NewMessage {
  std::string role;
  nlohmann::ordered_json content;                // a string or an array of parts, as given
  nlohmann::ordered_json attachments = nullptr;  // an array or null
  std::optional<nlohmann::ordered_json> metadata;
  std::optional<std::string> assistant_id;
  std::optional<std::string> run_id;

  static NewMessage from_json(const nlohmann::ordered_json& body);
};

// The message row for `input`: a new id, normalized content and attachments.
Message make_message(const std::string& thread_id, std::int64_t created_at,
                     const NewMessage& input);

// The original's check_thread: 404 "Thread not found", then 403 unless `caller` owns it.
Thread check_thread(ThreadStore& store, const api::Identity& caller, const std::string& id);

struct MessageListQuery {
  std::int64_t limit = 20;
  bool ascending = false;  // order=asc
  std::optional<std::string> after;
  std::optional<std::string> before;
  std::optional<std::string> run_id;
  bool include_subthreads = true;
};

class ThreadTopics;

class ThreadService {
 public:
  explicit ThreadService(db::Database& database) : database_(database) {}

  // Names threads after their messages from now on (spec §2.8); set before serving. `topics`
  // must outlive the service's use.
  void set_topics(ThreadTopics* topics) { topics_ = topics; }

  // T1: the thread and its initial messages, in order, in one transaction.
  Thread create_thread(const api::Identity& caller,
                       const std::optional<nlohmann::ordered_json>& metadata,
                       const std::optional<nlohmann::ordered_json>& tool_resources,
                       const std::vector<NewMessage>& messages);
  // T2: newest first.
  std::vector<Thread> list_threads(const api::Identity& caller, bool include_subthreads);
  // T3.
  Thread get_thread(const api::Identity& caller, const std::string& thread_id);
  // T4: a given (non-null) metadata or tool_resources replaces the stored one.
  Thread modify_thread(const api::Identity& caller, const std::string& thread_id,
                       const std::optional<nlohmann::ordered_json>& metadata,
                       const std::optional<nlohmann::ordered_json>& tool_resources);
  // T5: the thread and its messages; subthreads become top-level threads.
  void delete_thread(const api::Identity& caller, const std::string& thread_id);
  // T6: a copy with every message of the thread, in order, with new ids.
  Thread fork_thread(const api::Identity& caller, const std::string& thread_id);
  // T7: a child thread with copies of the parent's messages named in `messages_to_copy` (ids of
  // other threads are ignored), then `new_messages`.
  Thread create_subthread(const api::Identity& caller, const std::string& parent_id,
                          const std::vector<std::string>& messages_to_copy,
                          const std::vector<NewMessage>& new_messages);

  // T8.
  Message add_message(const api::Identity& caller, const std::string& thread_id,
                      const NewMessage& input);
  // T9, with the OpenAI cursor semantics (spec §2.9 [REC]).
  MessagePage list_messages(const api::Identity& caller, const std::string& thread_id,
                            const MessageListQuery& query);
  // GET on a message (an extension, §2.10 [REC]).
  Message get_message(const api::Identity& caller, const std::string& thread_id,
                      const std::string& message_id);
  // T10: sets (or with nullopt clears) the message's metadata.
  Message update_message_metadata(const api::Identity& caller, const std::string& thread_id,
                                  const std::string& message_id,
                                  const std::optional<nlohmann::ordered_json>& metadata);

 private:
  db::Database& database_;
  ThreadTopics* topics_ = nullptr;
};

}  // namespace nearhub::threads
