#pragma once
// Records the chat-completion deltas of a streamed run (spec/assistants.md §4.2 item 2: a
// /v1/chat/completions stream with a `run_id` header) as events of that run, so its stream
// subscribers receive them: thread.message.delta per chunk, thread.message.completed at the end.
// Only the run's owner feeds its stream: deltas naming another account's run, or no run, are
// dropped (the original wrote them into any run).

#include <map>
#include <mutex>
#include <string>

#include "db/database.h"
#include "inference/run_delta_sink.h"
#include "threads/run_events.h"

namespace nearhub::threads {

class RunDeltaRecorder final : public inference::RunDeltaSink {
 public:
  RunDeltaRecorder(db::Database& database, RunEventLog& events)
      : database_(database), events_(events) {}

  void on_delta(const inference::RunDeltaTarget& target, const std::string& text) override;
  void on_completed(const inference::RunDeltaTarget& target) override;

 private:
  // Whether target.account_id owns target.run_id (remembered: a stream asks once per chunk).
  bool may_write(const inference::RunDeltaTarget& target);

  db::Database& database_;
  RunEventLog& events_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, bool> allowed_;  // (run, account) → owner?
};

}  // namespace nearhub::threads
