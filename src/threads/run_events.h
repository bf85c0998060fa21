#pragma once
// A run's event log (spec/assistants.md §4.2): every event a run's stream subscribers must see
// is a row of run_events, and appending one wakes the run's subscribers through the database's
// publish/subscribe channel (db/events.h) — in this process, and on PostgreSQL in every process
// sharing the database — so that a run executed by one process streams to a client of another.
// The bus only says "look again"; subscribers read the rows themselves.

#include <cstdint>
#include <string>

#include "db/database.h"

namespace nearhub::threads {

class RunEventLog {
 public:
  explicit RunEventLog(db::Database& database) : database_(database) {}

  // Stores the event in the caller's transaction (there must be one: see
  // RunStore::append_event) and returns its position in the run; call announce() once that
  // transaction has committed.
  std::int64_t record(db::Session& session, const std::string& run_id, const std::string& event,
                      const std::string& data_json);
  // Wakes the run's subscribers.
  void announce(const std::string& run_id, std::int64_t seq);
  // record() in its own session, then announce().
  void append(const std::string& run_id, const std::string& event, const std::string& data_json);

  // The bus channel of a run's events.
  static std::string channel(const std::string& run_id) { return "run." + run_id; }

 private:
  db::Database& database_;
};

}  // namespace nearhub::threads
