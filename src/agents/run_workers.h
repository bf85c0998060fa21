#pragma once
// The threads that execute queued runs and keep the run tables healthy (spec §3, §6.4 [REC],
// §11.2-11.3 [REC]). Queued runs live in the database; each worker claims the next due one
// (FOR UPDATE SKIP LOCKED on PostgreSQL, so several processes share one queue), executes it to
// its end and claims again. A bus message wakes idle workers as soon as a run is queued; a
// periodic poll picks up runs scheduled for later and any wake-up that was lost. Nothing is
// dropped under load: a run waits in the table until a worker is free, and survives restarts.
//
// One maintenance thread ends runs whose deadline passed (their process died, or nobody
// finished a delegated run), purges old run events, and turns due scheduled runs
// (POST /v1/schedule_run) into queued runs.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "agents/run_executor.h"
#include "db/database.h"
#include "db/events.h"
#include "threads/run_service.h"
#include "threads/service.h"

namespace nearhub::agents {

struct RunWorkerOptions {
  std::size_t workers = 4;
  // How often idle workers look at the queue anyway, and maintenance runs.
  std::chrono::milliseconds poll{1000};
  // How long after its deadline an unfinished run is ended by maintenance (its executor, if
  // alive, ends it first).
  std::chrono::milliseconds deadline_grace{30'000};
  // Run events older than this are deleted.
  std::chrono::milliseconds event_retention{std::chrono::hours(24)};
};

class RunWorkers {
 public:
  RunWorkers(db::Database& database, threads::ThreadService& threads, threads::RunService& runs,
             RunExecutor& executor, RunWorkerOptions options);
  // Stops claiming and waits for the runs being executed to end.
  ~RunWorkers();
  RunWorkers(const RunWorkers&) = delete;
  RunWorkers& operator=(const RunWorkers&) = delete;

 private:
  void work();
  void maintain();
  void fire_scheduled_runs();

  db::Database& database_;
  threads::ThreadService& thread_service_;
  threads::RunService& runs_;
  RunExecutor& executor_;
  const RunWorkerOptions options_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::uint64_t wakeups_ = 0;  // bumped by every queue announcement

  db::Subscription queue_announcements_;
  std::vector<std::thread> workers_;  // last: they start once the rest exists
};

}  // namespace nearhub::agents
