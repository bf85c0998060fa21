#pragma once
// Runs (spec/assistants.md §2.11-2.14, §3): creation, retrieval, the agent's status updates, and
// the operations the run executor (agents/run_executor.h) needs to claim and end runs. Every
// operation on a caller's run first checks the thread (404 "Thread not found", 403 for another
// account's thread) and then that the run belongs to that thread (404), so another account can
// neither read, update nor subscribe to a run; a refused request changes nothing.
//
// Status changes that end or pause a run are recorded as events of the run (with the Run object
// as data) and announced, so stream subscribers on any process see them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/identity.h"
#include "db/database.h"
#include "registry/service.h"
#include "threads/run_events.h"
#include "threads/run_store.h"
#include "threads/service.h"

namespace nearhub::threads {

// The bus channel that wakes run workers when a run is queued for execution.
inline constexpr const char* kRunQueueChannel = "runs.queued";

struct RunServiceOptions {
  // A delegated run (the caller executes the agent) that nobody finishes expires after this.
  std::chrono::seconds delegated_timeout{600};
};

// The outcome of a T11 request.
struct CreatedRun {
  Run run;
  bool stream = false;
};

class RunService {
 public:
  RunService(db::Database& database, registry::RegistryService& registry, RunEventLog& events,
             RunServiceOptions options);

  // T11. `body` is validated against schemas::create_run_body() (client key order kept);
  // `auth` is the request's token JSON, forwarded to the runner when the run executes.
  CreatedRun create_run(const api::Identity& caller, const std::string& thread_id,
                        const nlohmann::ordered_json& body, const std::string& auth);
  // T13.
  Run get_run(const api::Identity& caller, const std::string& thread_id, const std::string& run_id);
  // T14: body validated against schemas::update_run_body().
  Run update_run(const api::Identity& caller, const std::string& thread_id,
                 const std::string& run_id, const nlohmann::ordered_json& body);
  // T12's checks: 404 "Run for thread not found" for an unknown run or one of another thread,
  // then the thread's. Returns the run to stream.
  Run run_to_stream(const api::Identity& caller, const std::string& thread_id,
                    const std::string& run_id);

  // A1 (agents/agent_run_routes.h): a new thread (or the caller's `thread_id`), a queued run of
  // `agents` with model "agent_specified" and, when given, the user's message, in one
  // transaction. The run is not put in the queue: the caller executes it. Its deadline is
  // `run_timeout` from now, so that it expires if this process dies before it starts.
  Run create_agent_run(const api::Identity& caller, const std::optional<std::string>& thread_id,
                       const std::string& agents, const std::optional<std::string>& new_message,
                       std::chrono::milliseconds run_timeout);

  // For the executor (no caller: the run was checked when it was created).
  // Claims the next due run of the queue (in_progress, deadline = now + `run_timeout`).
  std::optional<Run> claim_next(std::chrono::milliseconds run_timeout);
  // Marks a queued run the caller executes itself (A1) in_progress with a new deadline. False
  // when it is no longer queued (it expired while it waited for a thread): nothing changes.
  bool start_run(const std::string& run_id, std::chrono::milliseconds run_timeout);
  std::optional<Run> find(const std::string& run_id);
  // Ends a run that is still queued or in_progress: `status` (failed or expired) with
  // last_error {code, message}. False when the run had already ended (nothing changes).
  bool end_unfinished(const std::string& run_id, const std::string& status,
                      const std::string& message);
  // Sets a status and records its event (A1's final requires_action).
  void set_status(const std::string& run_id, const std::string& status);
  // Appends `child_id` to the parent's child_run_ids.
  void add_child_run(const std::string& parent_id, const std::string& child_id);
  void clear_auth(const std::string& run_id);
  // Ends unfinished runs whose deadline passed more than `grace` ago (their process died or
  // nobody finished a delegated run). Returns how many.
  int expire_overdue(std::chrono::milliseconds grace);
  // Deletes run events older than `age`.
  std::int64_t purge_events(std::chrono::milliseconds age);

 private:
  // The run's status event, recorded in `session`; returns its sequence number.
  std::int64_t record_status_event(db::Session& session, const Run& run);
  void check_agent_exists(const api::Identity& caller, const std::string& agent_id);

  db::Database& database_;
  registry::RegistryService& registry_;
  RunEventLog& events_;
  RunServiceOptions options_;
};

}  // namespace nearhub::threads
