// The scheduled_runs store on both engines (spec/assistants.md §11): rows as stored, and that
// claiming due rows hands each row to exactly one caller, also under concurrent claims.

#include "agents/schedule_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "threads/service.h"
#include "unit/db/engine_under_test.h"

namespace nearhub::agents {
namespace {

class ScheduleStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database();
    database_->migrate();
  }

  ScheduledRun schedule(std::int64_t run_at, std::optional<std::string> thread_id = std::nullopt) {
    ScheduledRun run;
    run.created_by = "alice.near";
    run.agent = "alice.near/bot/latest";
    run.input_message = "hello at " + std::to_string(run_at);
    run.run_params = {{"model", "m"}};
    run.thread_id = std::move(thread_id);
    run.run_at = run_at;
    run.created_at = 1;
    run.auth = R"({"account_id":"alice.near","nonce":")" + std::to_string(run_at) + R"("})";
    auto session = database_->session();
    return insert_scheduled_run(*session, run);
  }
  std::vector<ScheduledRun> claim(std::int64_t now, int limit = 100) {
    auto session = database_->session();
    return claim_due_scheduled_runs(*session, now, limit);
  }
  std::optional<ScheduledRun> find(std::int64_t id) {
    auto session = database_->session();
    return find_scheduled_run(*session, id);
  }
  static std::vector<std::int64_t> run_ats(const std::vector<ScheduledRun>& runs) {
    std::vector<std::int64_t> out;
    for (const ScheduledRun& run : runs) out.push_back(run.run_at);
    return out;
  }

  std::unique_ptr<db::Database> database_;
};

using Times = std::vector<std::int64_t>;

TEST_P(ScheduleStoreTest, InsertedRowsReadBackAsGiven) {
  const ScheduledRun stored = schedule(1'000);
  EXPECT_GT(stored.id, 0);
  const std::optional<ScheduledRun> read = find(stored.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->created_by, "alice.near");
  EXPECT_EQ(read->agent, "alice.near/bot/latest");
  EXPECT_EQ(read->input_message, "hello at 1000");
  EXPECT_EQ(read->run_params, nlohmann::ordered_json({{"model", "m"}}));
  EXPECT_EQ(read->thread_id, std::nullopt);
  EXPECT_EQ(read->run_at, 1'000);
  EXPECT_FALSE(read->has_run);
  EXPECT_EQ(read->created_at, 1);
  EXPECT_EQ(read->auth, stored.auth);
  EXPECT_FALSE(find(stored.id + 1000));
}

TEST_P(ScheduleStoreTest, ClaimTakesDueRowsEarliestFirstAndOnlyOnce) {
  const ScheduledRun a = schedule(300);
  const ScheduledRun b = schedule(100);
  const ScheduledRun c = schedule(200);
  const ScheduledRun later = schedule(500);
  const std::vector<ScheduledRun> claimed = claim(400);
  EXPECT_EQ(run_ats(claimed), (Times{100, 200, 300}));
  // The claim hands over the tokens, and the table keeps none.
  EXPECT_EQ(claimed[0].auth, b.auth);
  EXPECT_TRUE(claimed[0].has_run);
  for (const ScheduledRun& run : {a, b, c}) {
    const std::optional<ScheduledRun> row = find(run.id);
    EXPECT_TRUE(row->has_run);
    EXPECT_EQ(row->auth, "");
  }
  EXPECT_FALSE(find(later.id)->has_run);
  EXPECT_EQ(find(later.id)->auth, later.auth);
  EXPECT_TRUE(claim(400).empty());
  EXPECT_EQ(run_ats(claim(500)), (Times{500}));  // run_at == now is due
  EXPECT_TRUE(claim(1'000'000).empty());
}

TEST_P(ScheduleStoreTest, AReleasedRowIsDueAgainWithItsToken) {
  const ScheduledRun stored = schedule(100);
  const std::vector<ScheduledRun> claimed = claim(1'000);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(claim(1'000).empty());
  {
    auto session = database_->session();
    release_scheduled_run(*session, claimed[0]);
  }
  const std::vector<ScheduledRun> again = claim(1'000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, stored.id);
  EXPECT_EQ(again[0].auth, stored.auth);
}

TEST_P(ScheduleStoreTest, ClaimTakesAtMostLimitRows) {
  for (std::int64_t t : {50, 10, 40, 20, 30}) schedule(t);
  EXPECT_TRUE(claim(100, 0).empty());
  EXPECT_EQ(run_ats(claim(100, 2)), (Times{10, 20}));
  EXPECT_EQ(run_ats(claim(100, 2)), (Times{30, 40}));
  EXPECT_EQ(run_ats(claim(100, 2)), (Times{50}));
  EXPECT_TRUE(claim(100, 2).empty());
}

TEST_P(ScheduleStoreTest, ConcurrentClaimsNeverShareARow) {
  constexpr int kRows = 300;
  for (int i = 0; i < kRows; ++i) schedule(1 + i % 17);
  // Each worker has its own Database, as separate processes sharing one database would.
  std::mutex mutex;
  std::vector<std::int64_t> ids;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      std::unique_ptr<db::Database> database = open_database({.pool_size = 1});
      for (;;) {
        std::vector<ScheduledRun> claimed;
        {
          auto session = database->session();
          claimed = claim_due_scheduled_runs(*session, 1'000, 7);
        }
        if (claimed.empty()) return;
        const std::lock_guard lock(mutex);
        for (const ScheduledRun& run : claimed) {
          EXPECT_FALSE(run.auth.empty());
          ids.push_back(run.id);
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const std::set<std::int64_t> distinct(ids.begin(), ids.end());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kRows));
}

TEST_P(ScheduleStoreTest, DeletingTheThreadRemovesItsScheduledRuns) {
  threads::ThreadService threads(*database_);
  api::Identity alice;
  alice.account_id = "alice.near";
  const threads::Thread thread = threads.create_thread(alice, std::nullopt, std::nullopt, {});
  const ScheduledRun on_thread = schedule(10, thread.id);
  const ScheduledRun elsewhere = schedule(10);
  EXPECT_EQ(find(on_thread.id)->thread_id, thread.id);
  threads.delete_thread(alice, thread.id);
  EXPECT_FALSE(find(on_thread.id));
  EXPECT_TRUE(find(elsewhere.id));
}

INSTANTIATE_ENGINE_SUITE(ScheduleStoreTest);

}  // namespace
}  // namespace nearhub::agents
