// The runs work queue and event log on both engines: concurrent workers never claim a run twice
// and claim every due one; runs scheduled for later wait; the sweeper's conditional end leaves
// finished runs alone; events come back in order after a cursor and are purged by age.

#include "threads/run_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "threads/ids.h"
#include "threads/store.h"
#include "unit/db/engine_under_test.h"

namespace nearhub::threads {
namespace {

// Not `Run`: inside a fixture that name is testing::Test::Run.
using RunRow = Run;

class RunStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database();
    database_->migrate();
    auto session = database_->session();
    ThreadStore(*session).insert_thread({.id = thread_id_, .owner_id = "alice.near"});
  }

  RunRow queued_run(std::optional<std::int64_t> execute_at) {
    RunRow run{.id = new_run_id(),
               .thread_id = thread_id_,
               .owner_id = "alice.near",
               .assistant_id = "a/b/1",
               .created_at = 1,
               .execute_at = execute_at,
               .auth = "{}"};
    auto session = database_->session();
    RunStore(*session).insert_run(run);
    return run;
  }

  std::unique_ptr<db::Database> database_;
  const std::string thread_id_ = new_thread_id();
};

TEST_P(RunStoreTest, ConcurrentWorkersClaimEveryDueRunExactlyOnce) {
  constexpr int kRuns = 40;
  for (int i = 0; i < kRuns; ++i) queued_run(100 + i);
  queued_run(1'000'000);  // not due yet
  std::mutex mutex;
  std::vector<std::string> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      while (true) {
        auto session = database_->session();
        std::optional<RunRow> run = RunStore(*session).claim_next(database_->engine(), 500, 9'000);
        if (!run) return;
        EXPECT_EQ(run->status, "in_progress");
        EXPECT_EQ(run->started_at, 500);
        EXPECT_EQ(run->expires_at, 9'000);
        std::lock_guard lock(mutex);
        claimed.push_back(run->id);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kRuns));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), claimed.size());
  auto session = database_->session();
  RunStore store(*session);
  EXPECT_EQ(store.next_execute_at(), 1'000'000);
  EXPECT_FALSE(store.claim_next(database_->engine(), 999'999, 0));
  EXPECT_TRUE(store.claim_next(database_->engine(), 1'000'000, 0));
}

TEST_P(RunStoreTest, EndingIsConditionalOnTheRunBeingUnfinished) {
  const RunRow run = queued_run(std::nullopt);
  auto session = database_->session();
  RunStore store(*session);
  store.update_run(run.id, {.status = "completed"});
  EXPECT_FALSE(store.end_unfinished(run.id, "expired", 5, {{"code", "server_error"}}));
  EXPECT_EQ(store.find_run(run.id)->status, "completed");

  const RunRow other = queued_run(10);
  ASSERT_TRUE(store.end_unfinished(other.id, "failed", 7, {{"code", "server_error"}}));
  const RunRow failed = *store.find_run(other.id);
  EXPECT_EQ(failed.status, "failed");
  EXPECT_EQ(failed.failed_at, 7);
  EXPECT_FALSE(failed.execute_at);  // out of the queue
  EXPECT_FALSE(failed.auth);        // the token is not kept
  EXPECT_FALSE(store.claim_next(database_->engine(), 100, 200));
}

// A1 starts its run when a thread is free; one that expired while it waited stays expired.
TEST_P(RunStoreTest, StartingIsConditionalOnTheRunBeingQueued) {
  const RunRow waiting = queued_run(std::nullopt);
  const RunRow expired = queued_run(std::nullopt);
  auto session = database_->session();
  RunStore store(*session);
  ASSERT_TRUE(store.end_unfinished(expired.id, "expired", 5, {{"code", "server_error"}}));

  EXPECT_TRUE(store.start_queued(waiting.id, 10, 20));
  const RunRow started = *store.find_run(waiting.id);
  EXPECT_EQ(started.status, "in_progress");
  EXPECT_EQ(started.started_at, 10);
  EXPECT_EQ(started.expires_at, 20);
  EXPECT_FALSE(store.start_queued(waiting.id, 30, 40));  // once
  EXPECT_EQ(store.find_run(waiting.id)->started_at, 10);

  EXPECT_FALSE(store.start_queued(expired.id, 10, 20));
  EXPECT_EQ(store.find_run(expired.id)->status, "expired");
}

TEST_P(RunStoreTest, OverdueRunsAreUnfinishedOnesPastTheirDeadline) {
  auto session = database_->session();
  RunStore store(*session);
  const RunRow waiting = queued_run(50);  // in the queue: not overdue, whatever its age
  const RunRow running = queued_run(std::nullopt);
  store.update_run(running.id, {.status = "in_progress", .expires_at = 100});
  const RunRow done = queued_run(std::nullopt);
  store.update_run(done.id, {.status = "completed", .expires_at = 100});
  EXPECT_EQ(store.overdue_run_ids(100, 10), std::vector<std::string>{});
  EXPECT_EQ(store.overdue_run_ids(101, 10), std::vector<std::string>{running.id});
  (void)waiting;
}

TEST_P(RunStoreTest, EventsComeBackInOrderAfterACursorAndArePurgedByAge) {
  const RunRow run = queued_run(std::nullopt);
  auto session = database_->session();
  RunStore store(*session);
  const std::int64_t first = store.append_event(run.id, "thread.message.delta", "{\"n\":1}", 10);
  const std::int64_t second = store.append_event(run.id, "thread.message.delta", "{\"n\":2}", 20);
  store.append_event(run.id, "thread.run.completed", "{}", 30);
  EXPECT_LT(first, second);
  const std::vector<RunEvent> after = store.events_after(run.id, first, 10);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].data, "{\"n\":2}");
  EXPECT_EQ(after[1].event, "thread.run.completed");
  EXPECT_EQ(store.events_after(run.id, 0, 1).size(), 1u);
  EXPECT_EQ(store.purge_events(25), 2);
  EXPECT_EQ(store.events_after(run.id, 0, 10).size(), 1u);
}

INSTANTIATE_ENGINE_SUITE(RunStoreTest);

}  // namespace
}  // namespace nearhub::threads
