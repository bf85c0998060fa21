#include "agents/schedule_store.h"

#include <algorithm>

#include "util/json.h"

namespace nearhub::agents {

namespace {

constexpr const char* kColumns =
    "id, created_by, agent, input_message, run_params, thread_id, run_at, has_run, created_at, "
    "auth";

ScheduledRun read_run(const db::Row& row) {
  ScheduledRun run;
  run.id = row.integer(0);
  run.created_by = row.text(1);
  run.agent = row.text(2);
  run.input_message = row.text(3);
  run.run_params = nlohmann::ordered_json::parse(row.text(4), nullptr, false);
  if (!run.run_params.is_object()) run.run_params = nlohmann::ordered_json::object();
  run.thread_id = row.optional_text(5);
  run.run_at = row.integer(6);
  run.has_run = row.integer(7) != 0;
  run.created_at = row.integer(8);
  run.auth = row.optional_text(9).value_or("");
  return run;
}

}  // namespace

ScheduledRun insert_scheduled_run(db::Session& session, const ScheduledRun& run) {
  const db::Rows rows = session.query(
      "INSERT INTO scheduled_runs (created_by, agent, input_message, run_params, thread_id, "
      "run_at, has_run, created_at, auth) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
      {run.created_by, run.agent, run.input_message, util::dump_json(run.run_params),
       db::nullable(run.thread_id), run.run_at, run.created_at, run.auth});
  ScheduledRun stored = run;
  stored.id = rows.at(0).integer(0);
  stored.has_run = false;
  return stored;
}

std::vector<ScheduledRun> claim_due_scheduled_runs(db::Session& session, std::int64_t now_us,
                                                   int limit) {
  std::vector<ScheduledRun> claimed;
  if (limit <= 0) return claimed;
  db::Transaction transaction(session);
  // One statement on both engines. SQLite: the transaction holds the database's write lock, so
  // claims run one after the other. PostgreSQL (read committed): a claim that reaches a row
  // another claim has locked waits for it to commit, then re-checks `has_run = 0` on the row's
  // new version and leaves it out. Two claims run the same plan over the same rows, so they
  // lock rows in the same order and never wait on each other in a cycle.
  const db::Rows rows = session.query(
      std::string("UPDATE scheduled_runs SET has_run = 1 WHERE has_run = 0 AND id IN ("
                  "SELECT id FROM scheduled_runs WHERE has_run = 0 AND run_at <= ? "
                  "ORDER BY run_at, id LIMIT ?) RETURNING ") +
          kColumns,
      {now_us, std::int64_t{limit}});
  for (const db::Row& row : rows) {
    claimed.push_back(read_run(row));
    // The token leaves the table with the claim: from here on only the run holds it.
    session.execute("UPDATE scheduled_runs SET auth = NULL WHERE id = ?", {claimed.back().id});
  }
  transaction.commit();
  // RETURNING gives no order.
  std::sort(claimed.begin(), claimed.end(), [](const ScheduledRun& a, const ScheduledRun& b) {
    return a.run_at != b.run_at ? a.run_at < b.run_at : a.id < b.id;
  });
  return claimed;
}

void release_scheduled_run(db::Session& session, const ScheduledRun& run) {
  session.execute("UPDATE scheduled_runs SET has_run = 0, auth = ? WHERE id = ?",
                  {run.auth, run.id});
}

std::optional<ScheduledRun> find_scheduled_run(db::Session& session, std::int64_t id) {
  const db::Rows rows =
      session.query(std::string("SELECT ") + kColumns + " FROM scheduled_runs WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return read_run(rows.front());
}

}  // namespace nearhub::agents
