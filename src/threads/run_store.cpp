#include "threads/run_store.h"

#include "util/json.h"

namespace nearhub::threads {

namespace {

using nlohmann::ordered_json;

constexpr const char* kRunColumns =
    "seq, id, thread_id, owner_id, assistant_id, status, created_at, started_at, expires_at, "
    "cancelled_at, failed_at, completed_at, last_error, model, instructions, tools, metadata, "
    "options, parent_run_id, child_run_ids, run_mode, execute_at, auth";

db::Value json_value(const std::optional<ordered_json>& value) {
  if (!value) return nullptr;
  return util::dump_json(*value);
}

db::Value optional_integer(const std::optional<std::int64_t>& value) {
  if (!value) return nullptr;
  return *value;
}

std::optional<ordered_json> json_column(const db::Row& row, std::size_t column) {
  if (row.is_null(column)) return std::nullopt;
  return ordered_json::parse(row.text(column));
}

std::optional<std::int64_t> integer_column(const db::Row& row, std::size_t column) {
  if (row.is_null(column)) return std::nullopt;
  return row.integer(column);
}

Run run_from(const db::Row& row) {
  return {.seq = row.integer(0),
          .id = row.text(1),
          .thread_id = row.text(2),
          .owner_id = row.text(3),
          .assistant_id = row.text(4),
          .status = row.text(5),
          .created_at = row.integer(6),
          .started_at = integer_column(row, 7),
          .expires_at = integer_column(row, 8),
          .cancelled_at = integer_column(row, 9),
          .failed_at = integer_column(row, 10),
          .completed_at = integer_column(row, 11),
          .last_error = json_column(row, 12),
          .model = row.text(13),
          .instructions = row.optional_text(14),
          .tools = json_column(row, 15),
          .metadata = json_column(row, 16),
          .options = ordered_json::parse(row.text(17)),
          .parent_run_id = row.optional_text(18),
          .child_run_ids = ordered_json::parse(row.text(19)),
          .run_mode = row.text(20),
          .execute_at = integer_column(row, 21),
          .auth = row.optional_text(22)};
}

}  // namespace

void RunStore::insert_run(const Run& run) {
  session_.execute(
      "INSERT INTO runs (id, thread_id, owner_id, assistant_id, status, created_at, started_at, "
      "expires_at, cancelled_at, failed_at, completed_at, last_error, model, instructions, tools, "
      "metadata, options, parent_run_id, child_run_ids, run_mode, execute_at, auth) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {run.id,
       run.thread_id,
       run.owner_id,
       run.assistant_id,
       run.status,
       run.created_at,
       optional_integer(run.started_at),
       optional_integer(run.expires_at),
       optional_integer(run.cancelled_at),
       optional_integer(run.failed_at),
       optional_integer(run.completed_at),
       json_value(run.last_error),
       run.model,
       db::nullable(run.instructions),
       json_value(run.tools),
       json_value(run.metadata),
       util::dump_json(run.options),
       db::nullable(run.parent_run_id),
       util::dump_json(run.child_run_ids),
       run.run_mode,
       optional_integer(run.execute_at),
       db::nullable(run.auth)});
}

std::optional<Run> RunStore::find_run(const std::string& id) {
  const db::Rows rows =
      session_.query(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return run_from(rows.front());
}

void RunStore::update_run(const std::string& id, const RunUpdate& update) {
  std::string sql = "UPDATE runs SET ";
  std::vector<db::Value> params;
  const auto set = [&](const char* column, db::Value value) {
    if (!params.empty()) sql += ", ";
    sql += column;
    sql += " = ?";
    params.push_back(std::move(value));
  };
  if (update.status) set("status", *update.status);
  if (update.started_at) set("started_at", *update.started_at);
  if (update.expires_at) set("expires_at", *update.expires_at);
  if (update.failed_at) set("failed_at", *update.failed_at);
  if (update.completed_at) set("completed_at", *update.completed_at);
  if (update.last_error) set("last_error", util::dump_json(*update.last_error));
  if (update.metadata) set("metadata", util::dump_json(*update.metadata));
  if (update.dequeue) set("execute_at", nullptr);
  if (params.empty()) return;
  sql += " WHERE id = ?";
  params.push_back(id);
  session_.execute(sql, params);
}

bool RunStore::start_queued(const std::string& id, std::int64_t started_at,
                            std::int64_t expires_at) {
  return session_.execute(
             "UPDATE runs SET status = 'in_progress', started_at = ?, expires_at = ? "
             "WHERE id = ? AND status = 'queued'",
             {started_at, expires_at, id}) == 1;
}

void RunStore::set_child_run_ids(const std::string& id, const ordered_json& child_run_ids) {
  session_.execute("UPDATE runs SET child_run_ids = ? WHERE id = ?",
                   {util::dump_json(child_run_ids), id});
}

void RunStore::clear_auth(const std::string& id) {
  session_.execute("UPDATE runs SET auth = NULL WHERE id = ?", {id});
}

bool RunStore::end_unfinished(const std::string& id, const std::string& status, std::int64_t now,
                              const ordered_json& last_error) {
  const std::optional<std::int64_t> failed_at =
      status == "failed" ? std::optional<std::int64_t>(now) : std::nullopt;
  return session_.execute(
             "UPDATE runs SET status = ?, failed_at = COALESCE(?, failed_at), last_error = ?, "
             "execute_at = NULL, auth = NULL "
             "WHERE id = ? AND status IN ('queued', 'in_progress')",
             {status, optional_integer(failed_at), util::dump_json(last_error), id}) == 1;
}

std::optional<Run> RunStore::claim_next(std::string_view engine, std::int64_t now,
                                        std::int64_t expires_at) {
  std::string sql = std::string("SELECT ") + kRunColumns +
                    " FROM runs WHERE execute_at IS NOT NULL AND execute_at <= ? "
                    "ORDER BY execute_at, seq LIMIT 1";
  if (engine == "postgres") sql += " FOR UPDATE SKIP LOCKED";
  db::Transaction transaction(session_);
  const db::Rows rows = session_.query(sql, {now});
  if (rows.empty()) return std::nullopt;
  Run run = run_from(rows.front());
  session_.execute(
      "UPDATE runs SET execute_at = NULL, status = 'in_progress', started_at = ?, expires_at = ? "
      "WHERE id = ?",
      {now, expires_at, run.id});
  transaction.commit();
  run.execute_at.reset();
  run.status = "in_progress";
  run.started_at = now;
  run.expires_at = expires_at;
  return run;
}

std::vector<std::string> RunStore::overdue_run_ids(std::int64_t now, int limit) {
  std::vector<std::string> ids;
  for (const char* status : {"queued", "in_progress"}) {
    const db::Rows rows = session_.query(
        "SELECT id FROM runs WHERE status = ? AND expires_at IS NOT NULL AND expires_at < ? "
        "AND execute_at IS NULL ORDER BY expires_at LIMIT ?",
        {std::string(status), now, static_cast<std::int64_t>(limit)});
    for (const db::Row& row : rows) ids.push_back(row.text(0));
  }
  return ids;
}

std::optional<std::int64_t> RunStore::next_execute_at() {
  const db::Rows rows = session_.query(
      "SELECT execute_at FROM runs WHERE execute_at IS NOT NULL ORDER BY execute_at LIMIT 1");
  if (rows.empty()) return std::nullopt;
  return rows.front().integer(0);
}

std::int64_t RunStore::append_event(const std::string& run_id, const std::string& event,
                                    const std::string& data, std::int64_t created_at) {
  // The position comes from the run's row, which stays locked until the caller's transaction
  // ends: the next writer of this run waits, so positions commit in order.
  const db::Rows position = session_.query(
      "UPDATE runs SET event_count = event_count + 1 WHERE id = ? RETURNING event_count", {run_id});
  if (position.empty()) throw db::Error("run " + run_id + " does not exist");
  const std::int64_t seq = position.front().integer(0);
  session_.execute(
      "INSERT INTO run_events (run_id, seq, event, data, created_at) VALUES (?, ?, ?, ?, ?)",
      {run_id, seq, event, data, created_at});
  return seq;
}

std::vector<RunEvent> RunStore::events_after(const std::string& run_id, std::int64_t after_seq,
                                             int limit) {
  const db::Rows rows = session_.query(
      "SELECT seq, event, data FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
      {run_id, after_seq, static_cast<std::int64_t>(limit)});
  std::vector<RunEvent> events;
  events.reserve(rows.size());
  for (const db::Row& row : rows) events.push_back({row.integer(0), row.text(1), row.text(2)});
  return events;
}

std::int64_t RunStore::purge_events(std::int64_t before) {
  return session_.execute("DELETE FROM run_events WHERE created_at < ?", {before});
}

}  // namespace nearhub::threads
