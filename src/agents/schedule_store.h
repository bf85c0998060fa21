#pragma once
// The scheduled_runs table (src/db/migrations/0006_scheduled_runs.sql, spec/assistants.md §11):
// POST /v1/schedule_run inserts rows, the scheduling worker claims the due ones. SQL only; the
// checks live in agents/schedule_routes.cpp. Every statement runs on SQLite and PostgreSQL.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/database.h"

namespace nearhub::agents {

struct ScheduledRun {
  std::int64_t id = 0;  // assigned by insert_scheduled_run
  std::string created_by;
  std::string agent;  // "namespace/name/version" as given
  std::string input_message;
  nlohmann::ordered_json run_params = nlohmann::ordered_json::object();  // strings only
  std::optional<std::string> thread_id;  // nullopt: the run gets a new thread
  std::int64_t run_at = 0;               // Unix µs
  bool has_run = false;
  std::int64_t created_at = 0;  // Unix µs
  // The scheduling request's token JSON text, to execute the run with. Empty once the row has
  // been claimed, except in what claim_due_scheduled_runs returns.
  std::string auth;
};

// Stores a new row (has_run false) and returns it with its id. `run.id` and `run.has_run` are
// ignored.
ScheduledRun insert_scheduled_run(db::Session& session, const ScheduledRun& run);

// Marks up to `limit` due rows (run_at <= now_us, not run yet), earliest first, as run and
// returns them with their tokens, which are then cleared from the table. One transaction: no
// row is ever returned to two callers, whether they share a process or only the database (a
// second caller blocked on a row another claim is taking skips it once that one commits). Opens
// its own transaction: `session` must not be in one.
std::vector<ScheduledRun> claim_due_scheduled_runs(db::Session& session, std::int64_t now_us,
                                                   int limit);

// Undoes a claim whose run could not be created for a passing reason (the database failed): the
// row is due again, with its token, and the next claim retries it.
void release_scheduled_run(db::Session& session, const ScheduledRun& run);

// The row with this id, for tests and tools; nullopt when there is none.
std::optional<ScheduledRun> find_scheduled_run(db::Session& session, std::int64_t id);

}  // namespace nearhub::agents
