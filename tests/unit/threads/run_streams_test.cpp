// RunStreams against a recording SseWriter: a subscriber replays the log from the start, gets
// new events when they are announced, receives a closing event only after what was stored
// before it and is then closed; the cap ends a stream with thread.run.expired; heartbeats are
// comments; a closed client stops receiving.

#include "threads/run_streams.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "threads/ids.h"
#include "threads/run_events.h"
#include "threads/store.h"
#include "unit/db/engine_under_test.h"

namespace nearhub::threads {
namespace {

// Not `Run`: inside a fixture that name is testing::Test::Run.
using RunRow = Run;

using namespace std::chrono_literals;

class RecordingWriter final : public http::SseWriter {
 public:
  bool write(std::string bytes) override {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    text_ += bytes;
    changed_.notify_all();
    return true;
  }
  void close() override {
    std::vector<std::function<void()>> callbacks;
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      closed_ = true;
      callbacks.swap(on_close_);
      changed_.notify_all();
    }
    for (auto& callback : callbacks) callback();
  }
  bool is_closed() const override {
    std::lock_guard lock(mutex_);
    return closed_;
  }
  void on_close(std::function<void()> callback) override {
    {
      std::lock_guard lock(mutex_);
      if (!closed_) {
        on_close_.push_back(std::move(callback));
        return;
      }
    }
    callback();
  }
  // Waits until the text contains `needle` (or the stream closed, with `until_closed`).
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout,
                             [&] { return text_.find(needle) != std::string::npos; });
  }
  bool wait_closed(std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return closed_; });
  }
  std::string text() const {
    std::lock_guard lock(mutex_);
    return text_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string text_;
  bool closed_ = false;
  std::vector<std::function<void()>> on_close_;
};

class RunStreamsTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database();
    database_->migrate();
    events_ = std::make_unique<RunEventLog>(*database_);
    auto session = database_->session();
    ThreadStore(*session).insert_thread({.id = run_.thread_id, .owner_id = "alice.near"});
    RunStore(*session).insert_run(run_);
  }
  void TearDown() override {
    streams_.reset();
    events_.reset();
    database_.reset();
  }
  RunStreams& streams(RunStreamOptions options = {}) {
    streams_ = std::make_unique<RunStreams>(*database_, options);
    return *streams_;
  }

  std::unique_ptr<db::Database> database_;
  std::unique_ptr<RunEventLog> events_;
  std::unique_ptr<RunStreams> streams_;
  RunRow run_{.id = new_run_id(),
              .thread_id = new_thread_id(),
              .owner_id = "alice.near",
              .assistant_id = "a/b/1"};
};

TEST_P(RunStreamsTest, ReplaysThenFollowsAndClosesAfterTheClosingEvent) {
  events_->append(run_.id, "thread.message.delta", "{\"n\":1}");
  auto writer = std::make_shared<RecordingWriter>();
  streams().subscribe(writer, run_);
  ASSERT_TRUE(writer->wait_for("{\"n\":1}"));  // replayed
  events_->append(run_.id, "thread.message.delta", "{\"n\":2}");
  ASSERT_TRUE(writer->wait_for("{\"n\":2}"));  // followed, without polling
  events_->append(run_.id, "thread.run.completed", "{\"status\":\"completed\"}");
  ASSERT_TRUE(writer->wait_closed());
  EXPECT_EQ(
      writer->text(),
      "data: {\"event\": \"thread.message.delta\", \"data\": {\"n\":1}}\n\n"
      "data: {\"event\": \"thread.message.delta\", \"data\": {\"n\":2}}\n\n"
      "data: {\"event\": \"thread.run.completed\", \"data\": {\"status\":\"completed\"}}\n\n");
}

TEST_P(RunStreamsTest, AClosingEventWaitsForEverythingStoredBeforeIt) {
  // Stored out of the usual order: the run's end, then more deltas, all before subscribing.
  events_->append(run_.id, "thread.run.requires_action", "{}");
  events_->append(run_.id, "thread.message.delta", "{\"late\":true}");
  auto writer = std::make_shared<RecordingWriter>();
  streams().subscribe(writer, run_);
  ASSERT_TRUE(writer->wait_closed());
  const std::string text = writer->text();
  EXPECT_LT(text.find("late"), text.find("requires_action"));
}

TEST_P(RunStreamsTest, TheCapSendsExpiredAndHeartbeatsKeepIdleStreamsAlive) {
  auto writer = std::make_shared<RecordingWriter>();
  streams({.heartbeat = 300ms, .max_duration = 1200ms}).subscribe(writer, run_);
  ASSERT_TRUE(writer->wait_for(": keep-alive\n\n", 2s));
  ASSERT_TRUE(writer->wait_closed(3s));
  const std::string text = writer->text();
  EXPECT_NE(text.find("data: {\"event\": \"thread.run.expired\", \"data\": {\"id\":\"" + run_.id),
            std::string::npos);
  EXPECT_EQ(streams_->open_streams(), 0u);
}

TEST_P(RunStreamsTest, EachSubscriberGetsEveryEventAndAClosedClientStopsReceiving) {
  auto first = std::make_shared<RecordingWriter>();
  auto second = std::make_shared<RecordingWriter>();
  RunStreams& hub = streams();
  hub.subscribe(first, run_);
  hub.subscribe(second, run_);
  events_->append(run_.id, "thread.message.delta", "{\"n\":1}");
  ASSERT_TRUE(first->wait_for("{\"n\":1}"));
  ASSERT_TRUE(second->wait_for("{\"n\":1}"));  // not split between subscribers
  first->close();
  events_->append(run_.id, "thread.message.delta", "{\"n\":2}");
  ASSERT_TRUE(second->wait_for("{\"n\":2}"));
  EXPECT_EQ(first->text().find("{\"n\":2}"), std::string::npos);
}

TEST_P(RunStreamsTest, AnEndedRunWhoseLogWasPurgedClosesAtOnceWithItsStatus) {
  RunRow ended = run_;
  ended.status = "completed";  // as read for T12; its events are gone (retention)
  auto writer = std::make_shared<RecordingWriter>();
  streams().subscribe(writer, ended);
  ASSERT_TRUE(writer->wait_closed(2s));
  EXPECT_EQ(writer->text().rfind(
                "data: {\"event\": \"thread.run.completed\", \"data\": {\"id\":\"" + run_.id, 0),
            0u)
      << writer->text();
}

TEST_P(RunStreamsTest, AnEndedRunReplaysItsOwnClosingEventNotASyntheticOne) {
  events_->append(run_.id, "thread.message.delta", "{\"n\":1}");
  events_->append(run_.id, "thread.run.failed", "{\"stored\":true}");
  RunRow ended = run_;
  ended.status = "failed";
  auto writer = std::make_shared<RecordingWriter>();
  streams().subscribe(writer, ended);
  ASSERT_TRUE(writer->wait_closed());
  EXPECT_EQ(writer->text(),
            "data: {\"event\": \"thread.message.delta\", \"data\": {\"n\":1}}\n\n"
            "data: {\"event\": \"thread.run.failed\", \"data\": {\"stored\":true}}\n\n");
}

TEST_P(RunStreamsTest, AnEventWhoseAnnouncementWasLostArrivesByTheNextHeartbeat) {
  auto writer = std::make_shared<RecordingWriter>();
  streams({.heartbeat = 300ms}).subscribe(writer, run_);
  ASSERT_TRUE(writer->wait_for(": keep-alive", 2s));  // subscribed and idle
  {
    // Stored without announce(): as when a PostgreSQL listener was down.
    auto session = database_->session();
    db::Transaction transaction(*session);
    events_->record(*session, run_.id, "thread.message.delta", "{\"unannounced\":1}");
    transaction.commit();
  }
  EXPECT_TRUE(writer->wait_for("unannounced", 2s));
}

TEST_P(RunStreamsTest, TheStreamOfARunDeletedWithItsThreadEndsAtTheNextHeartbeat) {
  auto writer = std::make_shared<RecordingWriter>();
  streams({.heartbeat = 300ms}).subscribe(writer, run_);
  ASSERT_TRUE(writer->wait_for(": keep-alive", 2s));
  {
    auto session = database_->session();
    session->execute("DELETE FROM threads WHERE id = ?", {run_.thread_id});
  }
  EXPECT_TRUE(writer->wait_closed(2s));
}

// Positions come from the run's row: concurrent writers (threads here, processes in production)
// leave no gap and no duplicate, so a subscriber's cursor cannot step over a late commit.
TEST_P(RunStreamsTest, ConcurrentWritersGiveEachRunGaplessPositions) {
  RunRow other{.id = new_run_id(),
               .thread_id = run_.thread_id,
               .owner_id = "alice.near",
               .assistant_id = "a/b/1"};
  {
    auto session = database_->session();
    RunStore(*session).insert_run(other);
  }
  constexpr int kWriters = 4;
  constexpr int kEach = 25;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        events_->append((i + w) % 2 ? run_.id : other.id, "thread.message.delta",
                        "{\"w\":" + std::to_string(w) + ",\"i\":" + std::to_string(i) + "}");
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  auto session = database_->session();
  std::size_t total = 0;
  for (const std::string& id : {run_.id, other.id}) {
    const std::vector<RunEvent> events = RunStore(*session).events_after(id, 0, 1000);
    for (std::size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1)) << id;
    }
    total += events.size();
  }
  EXPECT_EQ(total, static_cast<std::size_t>(kWriters * kEach));
}

INSTANTIATE_ENGINE_SUITE(RunStreamsTest);

}  // namespace
}  // namespace nearhub::threads
