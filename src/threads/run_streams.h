#pragma once
// The subscribers of run streams (spec/assistants.md §4.3, with its [REC] fixes): each client
// gets its own cursor into the run's event log and replays it from the start, then receives each
// new event as soon as the event bus announces it (no polling). A closing event
// (thread.run.completed, .failed, .expired, .requires_action, ...) is sent after every event
// stored before it and ends the response. A stream open longer than the cap gets a synthetic
// thread.run.expired and ends; idle streams get comment heartbeats so proxies keep them open.
//
// No thread waits on a stream: the bus wakes a small pump pool that reads the new rows and
// queues them on the client's writer; one ticker thread sends heartbeats and enforces the cap.
// At each heartbeat a stream also reads its log again (a lost wake-up costs one heartbeat) and
// ends if its run is gone (its thread was deleted).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "db/database.h"
#include "http/sse.h"
#include "threads/run_store.h"
#include "threads/run_stream_encoder.h"
#include "util/task_pool.h"

namespace nearhub::threads {

struct RunStreamOptions {
  std::chrono::milliseconds heartbeat{15'000};
  std::chrono::milliseconds max_duration{600'000};  // STREAMING_RUN_TIMEOUT_MINUTES = 10
  std::size_t pump_threads = 2;
};

class RunStreams {
 public:
  RunStreams(db::Database& database, RunStreamOptions options);
  // Ends every open stream.
  ~RunStreams();
  RunStreams(const RunStreams&) = delete;
  RunStreams& operator=(const RunStreams&) = delete;

  // Delivers `run`'s events to `writer` in `format` from the first one on, until a closing
  // event, the cap or the client leaving.
  void subscribe(std::shared_ptr<http::SseWriter> writer, const Run& run,
                 RunStreamFormat format = RunStreamFormat::Hub);
  // Streams open now (for tests and metrics).
  std::size_t open_streams() const;

 private:
  struct Subscriber;
  void pump(const std::shared_ptr<Subscriber>& subscriber);
  // Reads and sends what is new; true when the stream ended.
  bool pump_once(Subscriber& subscriber, bool& batch_full);
  void tick_until_stopped();

  db::Database& database_;
  const RunStreamOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable stopping_changed_;
  bool stopping_ = false;
  std::vector<std::shared_ptr<Subscriber>> subscribers_;

  std::thread ticker_;
  util::TaskPool pumps_;  // last: its threads stop first, before what they use
};

}  // namespace nearhub::threads
