#pragma once
// The runs and run_events tables (src/db/migrations/0005_runs.sql). SQL only: the rules live in
// threads/run_service.h. Every statement runs on SQLite and PostgreSQL; the one difference (the
// queue's row lock) is named in claim_next().

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/database.h"

namespace nearhub::threads {

struct Run {
  std::int64_t seq = 0;
  std::string id;
  std::string thread_id;
  std::string owner_id;
  std::string assistant_id;
  std::string status = "queued";
  std::int64_t created_at = 0;  // Unix µs, like every time below
  std::optional<std::int64_t> started_at;
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> cancelled_at;
  std::optional<std::int64_t> failed_at;
  std::optional<std::int64_t> completed_at;
  std::optional<nlohmann::ordered_json> last_error;  // {"code", "message"}
  std::string model;
  std::optional<std::string> instructions;
  std::optional<nlohmann::ordered_json> tools;
  std::optional<nlohmann::ordered_json> metadata;
  nlohmann::ordered_json options = nlohmann::ordered_json::object();
  std::optional<std::string> parent_run_id;
  nlohmann::ordered_json child_run_ids = nlohmann::ordered_json::array();
  std::string run_mode = "SIMPLE";
  std::optional<std::int64_t> execute_at;
  std::optional<std::string> auth;
};

struct RunEvent {
  std::int64_t seq = 0;
  std::string event;
  std::string data;  // JSON text
};

// The fields a status change writes; nullopt leaves a column unchanged.
struct RunUpdate {
  std::optional<std::string> status;
  std::optional<std::int64_t> started_at;
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> failed_at;
  std::optional<std::int64_t> completed_at;
  std::optional<nlohmann::ordered_json> last_error;
  std::optional<nlohmann::ordered_json> metadata;
  bool dequeue = false;  // take the run out of the work queue (it ended before a worker came)
};

class RunStore {
 public:
  explicit RunStore(db::Session& session) : session_(session) {}

  void insert_run(const Run& run);
  std::optional<Run> find_run(const std::string& id);
  void update_run(const std::string& id, const RunUpdate& update);
  void set_child_run_ids(const std::string& id, const nlohmann::ordered_json& child_run_ids);
  void clear_auth(const std::string& id);
  // Sets `status` (with failed_at = now when it is "failed") and last_error, takes the run out
  // of the queue and drops its token, only if the run is still queued or in_progress. True when
  // it was.
  bool end_unfinished(const std::string& id, const std::string& status, std::int64_t now,
                      const nlohmann::ordered_json& last_error);

  // The queue: the oldest run whose execute_at has come, claimed for this caller (execute_at
  // set to NULL, status in_progress, started_at and expires_at set) in one transaction; nothing
  // when none is due. Two workers never claim the same run: PostgreSQL skips rows another
  // transaction has locked (FOR UPDATE SKIP LOCKED); SQLite's write transactions are serial.
  std::optional<Run> claim_next(std::string_view engine, std::int64_t now, std::int64_t expires_at);
  // queued -> in_progress with `started_at` and a new deadline; false (nothing changes) when the
  // run is not queued.
  bool start_queued(const std::string& id, std::int64_t started_at, std::int64_t expires_at);
  // Unfinished runs (queued with nobody to execute them, in_progress) whose deadline passed.
  std::vector<std::string> overdue_run_ids(std::int64_t now, int limit);
  // The earliest execute_at in the queue (for a worker deciding how long to sleep).
  std::optional<std::int64_t> next_execute_at();

  // Stores the run's next event and returns its position (1, 2, ...). Call it inside a
  // transaction: the run's row stays locked until it ends (see run_events in 0005_runs.sql).
  // Throws db::Error when the run does not exist.
  std::int64_t append_event(const std::string& run_id, const std::string& event,
                            const std::string& data, std::int64_t created_at);
  // Events of the run with seq > after_seq, in order, at most `limit`.
  std::vector<RunEvent> events_after(const std::string& run_id, std::int64_t after_seq, int limit);
  // Deletes events created before `before`. Returns how many.
  std::int64_t purge_events(std::int64_t before);

 private:
  db::Session& session_;
};

}  // namespace nearhub::threads
