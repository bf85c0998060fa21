#pragma once
// The threads and messages tables (src/db/migrations/0004_threads.sql). SQL only: ownership and
// the API's rules live in threads/service.h. Every statement runs on SQLite and PostgreSQL.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/database.h"

namespace nearhub::threads {

struct Thread {
  std::string id;
  std::string owner_id;
  std::optional<std::string> parent_id;
  std::int64_t created_at = 0;                           // Unix µs
  std::optional<nlohmann::ordered_json> metadata;        // an object as stored
  std::optional<nlohmann::ordered_json> tool_resources;  // an object as stored
};

struct Message {
  std::int64_t seq = 0;  // insertion sequence (0 until inserted)
  std::string id;
  std::string thread_id;
  std::int64_t created_at = 0;  // Unix µs
  std::string role;
  nlohmann::ordered_json content = nlohmann::ordered_json::array();
  std::optional<nlohmann::ordered_json> attachments;  // an array
  std::optional<nlohmann::ordered_json> metadata;     // an object of strings
  std::optional<std::string> assistant_id;
  std::optional<std::string> run_id;
  std::string status = "completed";
};

// One page request of a message list, already resolved by the service: cursors are sequence
// numbers and the direction is the order the rows are read in.
struct MessagePageQuery {
  std::vector<std::string> thread_ids;     // the thread and, when asked, its direct children
  std::optional<std::int64_t> after_seq;   // keep seq > after_seq
  std::optional<std::int64_t> before_seq;  // keep seq < before_seq
  std::optional<std::string> run_id;
  bool ascending = true;
  std::int64_t limit = 20;  // rows to read (the service asks one more to learn has_more)
};

class ThreadStore {
 public:
  explicit ThreadStore(db::Session& session) : session_(session) {}

  void insert_thread(const Thread& thread);
  std::optional<Thread> find_thread(const std::string& id);
  // The owner's threads, newest first; only top-level ones unless `include_subthreads`.
  std::vector<Thread> list_threads(const std::string& owner_id, bool include_subthreads);
  // Ids of the threads whose parent is `parent_id`.
  std::vector<std::string> child_thread_ids(const std::string& parent_id);
  // Replaces the given columns (nullopt leaves one unchanged).
  void update_thread(const std::string& id, const std::optional<nlohmann::ordered_json>& metadata,
                     const std::optional<nlohmann::ordered_json>& tool_resources);
  // Deletes the thread and its messages; its subthreads become top-level threads. Call inside
  // a transaction.
  void delete_thread(const std::string& id);

  // Inserts the message (its seq is assigned by the database).
  void insert_message(const Message& message);
  std::optional<Message> find_message(const std::string& id);
  // The thread's messages in insertion order; only those in `ids` when given.
  std::vector<Message> thread_messages(const std::string& thread_id,
                                       const std::optional<std::vector<std::string>>& ids = {});
  std::vector<Message> list_messages(const MessagePageQuery& query);
  void update_message_metadata(const std::string& id,
                               const std::optional<nlohmann::ordered_json>& metadata);

 private:
  db::Session& session_;
};

}  // namespace nearhub::threads
