#pragma once
// Records the chat-completion deltas of a streamed run (spec/assistants.md §4.2 item 2: a
// /v1/chat/completions stream with a `run_id` header) as events of that run, so its stream
// subscribers receive them: thread.message.delta per chunk, thread.message.completed at the end.
// Only the run's owner feeds its stream: deltas naming another account's run, or no run, are
// dropped (the original wrote them into any run).
//
// The inference gateway calls it from its one upstream thread, which relays every stream, so
// nothing here touches the database on that thread: deltas are queued and written by the
// recorder's own thread, in order, several per transaction when they come faster than one
// write. on_completed's continuation runs on that thread once the stream's events are written,
// so that whatever the agent does after the stream (complete the run) comes after them.

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/database.h"
#include "inference/run_delta_sink.h"
#include "threads/run_events.h"

namespace nearhub::threads {

class RunDeltaRecorder final : public inference::RunDeltaSink {
 public:
  RunDeltaRecorder(db::Database& database, RunEventLog& events);
  // Writes what is still queued, then stops.
  ~RunDeltaRecorder();
  RunDeltaRecorder(const RunDeltaRecorder&) = delete;
  RunDeltaRecorder& operator=(const RunDeltaRecorder&) = delete;

  void on_delta(const inference::RunDeltaTarget& target, const std::string& text) override;
  void on_completed(const inference::RunDeltaTarget& target, std::function<void()> then) override;
  void flush() override;

 private:
  struct Pending {
    inference::RunDeltaTarget target;
    std::string event;
    std::string data_json;
    std::function<void()> then;  // called once the event is written (or dropped)
  };
  void enqueue(Pending pending);
  void write_loop();
  void write(std::vector<Pending>& batch);
  // Whether target.account_id owns target.run_id (remembered: a stream asks once per chunk).
  bool may_write(const inference::RunDeltaTarget& target);

  db::Database& database_;
  RunEventLog& events_;
  std::map<std::pair<std::string, std::string>, bool> allowed_;  // writer thread only

  std::mutex mutex_;
  std::condition_variable queued_;
  std::condition_variable handled_;
  std::vector<Pending> queue_;
  std::uint64_t enqueued_ = 0;       // events queued so far
  std::uint64_t handled_count_ = 0;  // of them, written (or dropped) and their `then` called
  bool stopping_ = false;
  std::thread writer_;  // last: starts once the rest exists
};

}  // namespace nearhub::threads
