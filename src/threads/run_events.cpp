#include "threads/run_events.h"

#include "db/events.h"
#include "threads/run_store.h"
#include "util/time.h"

namespace nearhub::threads {

std::int64_t RunEventLog::record(db::Session& session, const std::string& run_id,
                                 const std::string& event, const std::string& data_json) {
  return RunStore(session).append_event(run_id, event, data_json, util::now_unix_us());
}

void RunEventLog::announce(const std::string& run_id, std::int64_t seq) {
  database_.events().publish(channel(run_id), std::to_string(seq));
}

void RunEventLog::append(const std::string& run_id, const std::string& event,
                         const std::string& data_json) {
  std::int64_t seq = 0;
  {
    auto session = database_.session();
    db::Transaction transaction(*session);
    seq = record(*session, run_id, event, data_json);
    transaction.commit();
  }
  announce(run_id, seq);
}

}  // namespace nearhub::threads
