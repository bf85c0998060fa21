#include "agents/run_workers.h"

#include <optional>

#include <spdlog/spdlog.h>

#include "agents/schedule_store.h"
#include "api/error.h"
#include "util/time.h"

namespace nearhub::agents {

using nlohmann::ordered_json;

namespace {

constexpr auto kPurgeEvery = std::chrono::minutes(1);
constexpr int kScheduledBatch = 20;

}  // namespace

RunWorkers::RunWorkers(db::Database& database, threads::ThreadService& threads,
                       threads::RunService& runs, RunExecutor& executor, RunWorkerOptions options)
    : database_(database),
      thread_service_(threads),
      runs_(runs),
      executor_(executor),
      options_(options) {
  queue_announcements_ =
      database_.events().subscribe(threads::kRunQueueChannel, [this](const std::string&) {
        {
          std::lock_guard lock(mutex_);
          ++wakeups_;
        }
        changed_.notify_all();
      });
  for (std::size_t i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { work(); });
  workers_.emplace_back([this] { maintain(); });
}

RunWorkers::~RunWorkers() {
  queue_announcements_.cancel();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& thread : workers_) thread.join();
}

void RunWorkers::work() {
  while (true) {
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      seen = wakeups_;
    }
    std::optional<threads::Run> run;
    try {
      run = runs_.claim_next(executor_.options().run_timeout);
    } catch (const std::exception& error) {
      spdlog::error("run queue: {}", error.what());
    }
    if (run) {
      executor_.execute({.run = *run, .auth = run->auth.value_or("")});
      continue;
    }
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, options_.poll, [&] { return stopping_ || wakeups_ != seen; });
  }
}

void RunWorkers::maintain() {
  auto next_purge = std::chrono::steady_clock::now();
  while (true) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, options_.poll, [this] { return stopping_; });
      if (stopping_) return;
    }
    try {
      if (int expired = runs_.expire_overdue(options_.deadline_grace)) {
        spdlog::warn("runs: {} run(s) passed their deadline and expired", expired);
      }
      fire_scheduled_runs();
      if (std::chrono::steady_clock::now() >= next_purge) {
        runs_.purge_events(options_.event_retention);
        next_purge = std::chrono::steady_clock::now() + kPurgeEvery;
      }
    } catch (const std::exception& error) {
      spdlog::error("runs maintenance: {}", error.what());
    }
  }
}

void RunWorkers::fire_scheduled_runs() {
  std::vector<ScheduledRun> due;
  {
    auto session = database_.session();
    due = claim_due_scheduled_runs(*session, util::now_unix_us(), kScheduledBatch);
  }
  for (const ScheduledRun& scheduled : due) {
    // [REC] §11.3: the run belongs to whoever scheduled it, on their thread or a new one.
    const api::Identity owner{.account_id = scheduled.created_by};
    // A thread made for this run is removed when the run cannot be created (best effort), so
    // that a failed or retried firing leaves no empty thread behind.
    std::optional<std::string> new_thread;
    const auto remove_new_thread = [&] {
      if (!new_thread) return;
      try {
        thread_service_.delete_thread(owner, *new_thread);
      } catch (const std::exception& error) {
        spdlog::warn("scheduled run {}: cannot remove its new thread {}: {}", scheduled.id,
                     *new_thread, error.what());
      }
    };
    try {
      std::string thread_id;
      if (scheduled.thread_id) {
        thread_id = *scheduled.thread_id;
      } else {
        thread_id =
            thread_service_
                .create_thread(owner,
                               ordered_json{{"agent_ids", ordered_json::array({scheduled.agent})}},
                               std::nullopt, {})
                .id;
        new_thread = thread_id;
      }
      const ordered_json body = {
          {"assistant_id", scheduled.agent},
          {"model", scheduled.run_params.value("model", "")},
          {"additional_messages",
           ordered_json::array({{{"role", "user"}, {"content", scheduled.input_message}}})}};
      runs_.create_run(owner, thread_id, body, scheduled.auth);
    } catch (const api::Error& error) {
      // The request itself is wrong (the agent is gone, say): retrying would not help.
      spdlog::warn("scheduled run {} of {} not started: {}", scheduled.id, scheduled.created_by,
                   error.message());
      remove_new_thread();
    } catch (const std::exception& error) {
      // The database failed: the row is due again, and the next round retries it. (A process
      // that dies between the claim and this point loses the row: spec §11 has no retry either.)
      spdlog::error("scheduled run {} of {} not started, will retry: {}", scheduled.id,
                    scheduled.created_by, error.what());
      remove_new_thread();
      try {
        auto session = database_.session();
        release_scheduled_run(*session, scheduled);
      } catch (const std::exception& release_error) {
        spdlog::error("scheduled run {} is lost: {}", scheduled.id, release_error.what());
      }
    }
  }
}

}  // namespace nearhub::agents
